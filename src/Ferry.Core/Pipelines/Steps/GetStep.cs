using System.Text.Json.Nodes;

namespace Ferry.Core.Pipelines.Steps;

public sealed class GetStep : Step
{
    public override string Kind => "get";

    /// <summary>The name the fetched artifact gets in the build.</summary>
    public string Name { get; init; } = "";
    /// <summary>The resource fetched: <c>resource:</c>, or the name.</summary>
    public string Resource { get; init; } = "";
    public IReadOnlyList<string> Passed { get; init; } = [];
    public bool Trigger { get; init; }
    public GetVersion Version { get; init; } = GetVersion.Latest;
    public JsonObject? Params { get; init; }
}

public enum GetVersionMode
{
    Latest,
    Every,
    Pinned,
}

/// <summary><c>version: latest | every | {pinned map}</c>.</summary>
public sealed record GetVersion(GetVersionMode Mode, JsonObject? Pinned = null)
{
    public static GetVersion Latest { get; } = new(GetVersionMode.Latest);
    public static GetVersion Every { get; } = new(GetVersionMode.Every);
}
