using System.Text.Json.Serialization;

namespace Ferry.Core.Plans;

/// <summary>
/// The plan of a promotion's build: fetch the release's versions, run the environment's deploy plan, then its verify
/// plan. It is a node of its own, not a <c>do</c>, because the runner must know where deploy ends and verify begins
/// (the promotion moves from deploying to verifying there) and which promotion the build belongs to.
/// </summary>
public sealed record PromotionPlan : PlanNode
{
    public required long PromotionId { get; init; }
    public required string Environment { get; init; }

    /// <summary>The release's short name (<c>r7</c>).</summary>
    public required string Release { get; init; }

    /// <summary>The gets of the release's versions, each an artifact named after its resource.</summary>
    public required PlanNode Fetch { get; init; }

    public required PlanNode Deploy { get; init; }

    /// <summary>Null when the environment has nothing to verify: a successful deploy verifies the release.</summary>
    public PlanNode? Verify { get; init; }

    [JsonIgnore]
    public override IEnumerable<PlanNode> Children => Verify is null ? [Fetch, Deploy] : [Fetch, Deploy, Verify];
}

/// <summary>The build that tears a per-pull-request environment down once its branch is gone: the <c>teardown:</c> plan.</summary>
public sealed record TeardownPlan : PlanNode
{
    public required string Environment { get; init; }

    /// <summary>The last release deployed there, when there was one (its versions are fetched first).</summary>
    public string? Release { get; init; }

    public required PlanNode Step { get; init; }

    [JsonIgnore]
    public override IEnumerable<PlanNode> Children => [Step];
}
