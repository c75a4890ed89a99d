namespace Ferry.Core.Promotion;

/// <summary>
/// A node module a release's flows use that the target instance lacks (or has disabled): its name and the version
/// the source instance runs, with the node types of it the flows use. <c>Module</c> is null when the source's node
/// list is unknown (a snapshot taken before Ferry recorded it): then only the types are known.
/// </summary>
public sealed record MissingModule(string? Module, string? Version, IReadOnlyList<string> Types)
{
    /// <summary><c>node-red-contrib-moment@5.0.0 (moment, humanizer)</c>.</summary>
    public override string ToString() =>
        (Module is null ? "an unknown module" : Version is null ? Module : $"{Module}@{Version}") + $" ({string.Join(", ", Types)})";
}
