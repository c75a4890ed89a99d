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
    public static TaskConfigLoadResult Parse(string yaml, string fileName, YamlLimits? limits = null)
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
        if (document.Root is YamlMapping map)
        {
            config = new TaskConfigReader(diagnostics).Read(map, "");
            TaskConfigRules.Check(config, diagnostics);
        }
        else
        {
            diagnostics.Error(document.Root?.Location ?? new SourceLocation(fileName, 1, 1), "",
                document.Root is null ? "the task file is empty" : $"a task config must be a mapping, not a {document.Root.Describe()}");
        }
        var items = diagnostics.Items;
        return new TaskConfigLoadResult(config,
            items.Where(d => d.Severity == DiagnosticSeverity.Error).ToList(),
            items.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList());
    }
}
