using Ferry.Core.Yaml;

namespace Ferry.Core.Validation;

/// <summary>Collects findings while a configuration is read and checked.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public bool HasErrors => _items.Exists(d => d.Severity == DiagnosticSeverity.Error);

    public void Error(SourceLocation location, string path, string message) =>
        _items.Add(new Diagnostic(DiagnosticSeverity.Error, location, path, message));

    public void Warning(SourceLocation location, string path, string message) =>
        _items.Add(new Diagnostic(DiagnosticSeverity.Warning, location, path, message));

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);
}
