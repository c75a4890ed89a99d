using Ferry.Core.Pipelines.Graph;
using Ferry.Core.Pipelines.Reading;
using Ferry.Core.Validation;
using Ferry.Core.Vars;
using Ferry.Core.Yaml;

namespace Ferry.Core.Pipelines;

/// <summary>Loads a pipeline file: YAML, static vars, the model, validation and the graph, in one call.</summary>
/// <remarks>Never throws for bad input: every problem is a located <see cref="Diagnostic"/>.</remarks>
public static class PipelineLoader
{
    public static PipelineLoadResult LoadFile(string path, PipelineLoadOptions? options = null)
    {
        options ??= new PipelineLoadOptions();
        string text;
        try
        {
            text = YamlLoader.ReadText(path, options.Limits);
        }
        catch (YamlLoadException e)
        {
            return Failed(Path.GetFileName(path), e);
        }
        return Load(text, Path.GetFileName(path), options);
    }

    public static PipelineLoadResult Load(string yaml, string fileName, PipelineLoadOptions? options = null)
    {
        options ??= new PipelineLoadOptions();
        var diagnostics = new DiagnosticBag();
        YamlDocument document;
        try
        {
            YamlLoader.EnsureSize(yaml, fileName, options.Limits);
            if (YttTemplate.Check(yaml, fileName) is { } ytt)
            {
                return new PipelineLoadResult(fileName, null, [ytt], [], null, []);
            }
            var text = Placeholders.RewriteLegacy(yaml, out var legacy);
            document = YamlLoader.Load(text, fileName, options.Limits);
            if (legacy > 0)
            {
                diagnostics.Warning(new SourceLocation(fileName, 1, 1), "",
                    $"{legacy} legacy {{{{var}}}} placeholder(s) read as ((var)); write ((var))");
            }
        }
        catch (YamlLoadException e)
        {
            return Failed(fileName, e);
        }
        foreach (var warning in document.Warnings)
        {
            diagnostics.Warning(warning.Location, "", warning.Message);
        }
        var interpolator = new YamlInterpolator(options.Vars);
        var root = interpolator.Interpolate(document.Root);
        foreach (var error in interpolator.Errors)
        {
            diagnostics.Error(error.Location, "", error.Message);
        }
        var pipeline = new PipelineReader(diagnostics).Read(root, fileName);
        if (pipeline is not null)
        {
            PipelineValidator.Validate(pipeline, diagnostics);
        }
        var all = diagnostics.Items;
        var errors = all.Where(d => d.Severity == DiagnosticSeverity.Error || options.Strict)
            .Select(d => d with { Severity = DiagnosticSeverity.Error }).ToList();
        var warnings = options.Strict ? [] : all.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        return new PipelineLoadResult(fileName, pipeline, Sort(errors), Sort(warnings),
            pipeline is null ? null : PipelineGraph.Build(pipeline), interpolator.Used.ToList());
    }

    private static List<Diagnostic> Sort(List<Diagnostic> items) =>
        items.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToList();

    private static PipelineLoadResult Failed(string fileName, YamlLoadException e) =>
        new(fileName, null, [new Diagnostic(DiagnosticSeverity.Error, e.Location, "", e.Reason)], [], null, []);
}
