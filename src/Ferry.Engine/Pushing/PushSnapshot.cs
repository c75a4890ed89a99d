using Ferry.Core.Promotion;

namespace Ferry.Engine.Pushing;

public enum PushSnapshotKind
{
    /// <summary>A snapshot of the source taken now (FlowFuse's "create a new snapshot").</summary>
    Now,
    /// <summary>The source's latest snapshot: its current release.</summary>
    Latest,
    /// <summary>A chosen earlier release.</summary>
    Release,
}

/// <summary>Which snapshot of the source a push takes: <c>now</c>, <c>latest</c> or a release (<c>r7</c> or <c>7</c>).</summary>
public sealed record PushSnapshot(PushSnapshotKind Kind, string? Release)
{
    public static readonly PushSnapshot Now = new(PushSnapshotKind.Now, null);

    public static readonly PushSnapshot Latest = new(PushSnapshotKind.Latest, null);

    /// <summary>Null or empty: <see cref="Now"/>, as FlowFuse's push does by default.</summary>
    public static PushSnapshot Parse(string? text) => text?.Trim() switch
    {
        null or "" or "now" => Now,
        "latest" => Latest,
        var name when ReleaseName.TryParse(name, out var number) => new PushSnapshot(PushSnapshotKind.Release, ReleaseName.Of(number)),
        var other => throw new ArgumentException($"snapshot '{other}' is not now, latest or a release (r7 or 7)"),
    };

    public string Text => Kind switch
    {
        PushSnapshotKind.Now => "now",
        PushSnapshotKind.Latest => "latest",
        _ => Release!,
    };
}
