using System.Text.Json.Nodes;
using Ferry.Core.Pipelines.Steps;

namespace Ferry.Core.Pipelines;

/// <summary>A place a release is deployed to, with its promotion policy (DESIGN.md, "Pipeline file").</summary>
public sealed class EnvironmentConfig : ConfigNode
{
    public string Name { get; init; } = "";
    /// <summary>The resources a release carries; empty: inherited from the <c>from</c> environments.</summary>
    public IReadOnlyList<string> Release { get; init; } = [];
    /// <summary>Jobs (releases are versions that passed them) or environments (releases verified in them).</summary>
    public IReadOnlyList<string> From { get; init; } = [];
    public FromPolicy FromPolicy { get; init; } = FromPolicy.All;
    /// <summary>Default: manual when <see cref="Protected"/>, else auto.</summary>
    public PromoteMode Promote { get; init; } = PromoteMode.Auto;
    public ApprovalConfig? Approval { get; init; }
    public JsonObject? Variables { get; init; }
    public IReadOnlyList<Step> Deploy { get; init; } = [];
    public IReadOnlyList<Step> Verify { get; init; } = [];
    public InstanceBinding? Instance { get; init; }
    public EnvKeysMode EnvKeys { get; init; } = EnvKeysMode.KeysOnly;
    public bool Protected { get; init; }
    /// <summary>A resource whose versions are open branches/PRs: one environment per version.</summary>
    public string? ForEach { get; init; }
    public IReadOnlyList<Step> Teardown { get; init; } = [];
    /// <summary>A step run after a failed promotion (a hook on the promotion's build).</summary>
    public Step? OnFailure { get; init; }
    /// <summary><c>on_failure: rollback</c>: after a failed promotion, redeploy the last release verified here.</summary>
    public bool RollbackOnFailure { get; init; }

    public IEnumerable<Step> AllSteps() =>
        Deploy.Concat(Verify).Concat(Teardown).Concat(OnFailure is null ? [] : [OnFailure])
            .SelectMany(step => step.SelfAndDescendants());
}

public enum PromoteMode
{
    Auto,
    Manual,
}

/// <summary>With several <c>from</c> entries: a release must come through all of them, or any one.</summary>
public enum FromPolicy
{
    All,
    Any,
}

public enum EnvKeysMode
{
    KeysOnly,
    Merge,
    None,
}

public sealed class ApprovalConfig : ConfigNode
{
    public int Required { get; init; } = 1;
    /// <summary>Who may approve (users or teams); empty: anyone with access.</summary>
    public IReadOnlyList<string> From { get; init; } = [];
    /// <summary>Whether whoever started a promotion may approve it too.</summary>
    public bool AllowSelf { get; init; }
}

/// <summary><c>instance: dev-flows</c> (a resource) or <c>instance: {type, source}</c>.</summary>
public sealed class InstanceBinding : ConfigNode
{
    public string? ResourceName { get; init; }
    public string? Type { get; init; }
    public JsonObject? Source { get; init; }

    public bool IsInline => ResourceName is null;
}
