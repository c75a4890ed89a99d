using System.CommandLine;
using Ferry.Core.Pipelines;
using Ferry.Core.Vars;
using Ferry.Core.Yaml;

namespace Ferry.Cli.Validate;

/// <summary><c>ferry validate -c FILE [-v k=v] [-y k=yaml] [-l FILE] [--strict] [--json]</c>: checks a pipeline offline.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config", "-c") { Description = "The pipeline file", Required = true };
        var vars = new Option<string[]>("--var", "-v") { Description = "A string var: name=value (repeatable)" };
        var yamlVars = new Option<string[]>("--yaml-var", "-y") { Description = "A var whose value is YAML: name=value (repeatable)" };
        var varFiles = new Option<FileInfo[]>("--load-vars-from", "-l") { Description = "A YAML file of vars (repeatable)" };
        var strict = new Option<bool>("--strict") { Description = "Warnings and unknown keys are errors" };
        var json = new Option<bool>("--json") { Description = "Print {errors, warnings, graph} as JSON" };
        var command = new Command("validate", "Check a pipeline file: YAML, vars, Concourse's rules and Ferry's environment rules")
        {
            config, vars, yamlVars, varFiles, strict, json,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var file = parse.GetValue(config)!;
            var staticVars = new StaticVars();
            try
            {
                foreach (var path in parse.GetValue(varFiles) ?? [])
                {
                    staticVars.AddFile(path.FullName);
                }
                foreach (var flag in parse.GetValue(vars) ?? [])
                {
                    var (name, value) = StaticVars.SplitFlag(flag);
                    staticVars.AddString(name, value);
                }
                foreach (var flag in parse.GetValue(yamlVars) ?? [])
                {
                    var (name, value) = StaticVars.SplitFlag(flag);
                    staticVars.AddYaml(name, value);
                }
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"ferry validate: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (YamlLoadException e)
            {
                await error.WriteLineAsync($"ferry validate: cannot read vars: {e.Message}");
                return ExitCodes.Failed;
            }
            if (!file.Exists)
            {
                await error.WriteLineAsync($"ferry validate: {file.FullName}: no such file");
                return ExitCodes.Failed;
            }
            var result = PipelineLoader.LoadFile(file.FullName, new PipelineLoadOptions { Vars = staticVars, Strict = parse.GetValue(strict) });
            await (parse.GetValue(json) ? ValidateOutput.WriteJson(result, output) : ValidateOutput.WriteText(result, output));
            _ = cancellation;
            return result.IsValid ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }
}
