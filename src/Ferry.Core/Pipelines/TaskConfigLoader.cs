using Ferry.Core.Vars;
using Ferry.Core.Pipelines.Reading;
using Ferry.Core.Validation;
using Ferry.Core.Yaml;

namespace Ferry.Core.Pipelines;

/// <summary>The result of reading a task file: the config when it could be read, and what is wrong with it.</summary>
public sealed record TaskConfigLoadResult(TaskConfig? Config, IReadOnlyList<Diagnostic> Errors, IReadOnlyList<Diagnostic> Warnings)
{
    public bool IsValid => Config is not null && Errors.Count == 0;
}

/// <summary>Reads standalone task files (<c>task: x, file: app/ci/test.yml</c>), which the engine loads at run time.</summary>
public static class TaskConfigLoader
{
    public static TaskConfigLoadResult Parse(string yaml, string fileName, YamlLimits? limits = null) =>
        Parse(yaml, fileName, StaticVars.Empty, limits);

    /// <summary>Reads a task file after filling in <paramref name="vars"/> (the task step's <c>vars:</c>), as Concourse does.</summary>
    public static TaskConfigLoadResult Parse(string yaml, string fileName, StaticVars vars, YamlLimits? limits = null)
    {
        var diagnostics = new DiagnosticBag();
        YamlDocument document;
        try
        {
            document = YamlLoader.Load(yaml, fileName, limits);
        }
        catch (YamlLoadException e)
        {
            return new TaskConfigLoadResult(null, [new Diagnostic(DiagnosticSeverity.Error, e.Location, "", e.Reason)], []);
        }
        TaskConfig? config = null;
        var interpolator = new YamlInterpolator(vars);
        var root = interpolator.Interpolate(document.Root);
        foreach (var error in interpolator.Errors)
        {
            diagnostics.Error(error.Location, "", error.Message);
        }
        if (root is YamlMapping map)
        {
            config = new TaskConfigReader(diagnostics).Read(map, "");
            TaskConfigRules.Check(config, diagnostics);
        }
        else
        {
            diagnostics.Error(root?.Location ?? new SourceLocation(fileName, 1, 1), "",
                root is null ? "the task file is empty" : $"a task config must be a mapping, not a {root.Describe()}");
        }
        var items = diagnostics.Items;
        return new TaskConfigLoadResult(config,
            items.Where(d => d.Severity == DiagnosticSeverity.Error).ToList(),
            items.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList());
    }
}
