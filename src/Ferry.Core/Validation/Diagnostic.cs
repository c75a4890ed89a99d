using Ferry.Core.Yaml;

namespace Ferry.Core.Validation;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>One finding about a configuration: where, which config path, and what is wrong.</summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, SourceLocation Location, string Path, string Message)
{
    /// <summary><c>pipeline.yml:41:11 jobs.deploy.plan[2].get(app).passed: no job named 'tset'</c></summary>
    public override string ToString() => Path.Length == 0 ? $"{Location} {Message}" : $"{Location} {Path}: {Message}";
}
