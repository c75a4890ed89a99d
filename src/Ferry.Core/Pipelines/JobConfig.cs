using Ferry.Core.Pipelines.Steps;

namespace Ferry.Core.Pipelines;

public sealed class JobConfig : ConfigNode
{
    public string Name { get; init; } = "";
    public string? OldName { get; init; }
    public bool Serial { get; init; }
    public IReadOnlyList<string> SerialGroups { get; init; } = [];
    /// <summary>Null: unlimited (or 1 when <see cref="Serial"/> or serial groups are set).</summary>
    public int? MaxInFlight { get; init; }
    public BuildLogRetention? BuildLogRetention { get; init; }
    public int? BuildLogsToRetain { get; init; }
    public bool Public { get; init; }
    public bool DisableManualTrigger { get; init; }
    public bool Interruptible { get; init; }
    public Step? OnSuccess { get; init; }
    public Step? OnFailure { get; init; }
    public Step? OnError { get; init; }
    public Step? OnAbort { get; init; }
    public Step? Ensure { get; init; }
    public IReadOnlyList<Step> Plan { get; init; } = [];

    /// <summary>Every step of the plan and the hooks, depth first.</summary>
    public IEnumerable<Step> AllSteps()
    {
        var roots = Plan.Concat(new[] { OnSuccess, OnFailure, OnError, OnAbort, Ensure }.OfType<Step>());
        return roots.SelectMany(step => step.SelfAndDescendants());
    }
}

public sealed class BuildLogRetention : ConfigNode
{
    public int Builds { get; init; }
    public int Days { get; init; }
    public int MinimumSucceededBuilds { get; init; }
}
