using System.Text.Json.Serialization;

namespace Ferry.Core.Plans;

/// <summary>
/// One node of a compiled build plan (Concourse's <c>atc.Plan</c>). The plan is stored with the build, so every
/// node has an id that stays the same for the life of the build: events and step results refer to it.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(GetPlan), "get")]
[JsonDerivedType(typeof(PutPlan), "put")]
[JsonDerivedType(typeof(TaskPlan), "task")]
[JsonDerivedType(typeof(SetPipelinePlan), "set_pipeline")]
[JsonDerivedType(typeof(LoadVarPlan), "load_var")]
[JsonDerivedType(typeof(InParallelPlan), "in_parallel")]
[JsonDerivedType(typeof(DoPlan), "do")]
[JsonDerivedType(typeof(TryPlan), "try")]
[JsonDerivedType(typeof(AcrossPlan), "across")]
[JsonDerivedType(typeof(TimeoutPlan), "timeout")]
[JsonDerivedType(typeof(RetryPlan), "retry")]
[JsonDerivedType(typeof(OnSuccessPlan), "on_success")]
[JsonDerivedType(typeof(OnFailurePlan), "on_failure")]
[JsonDerivedType(typeof(OnErrorPlan), "on_error")]
[JsonDerivedType(typeof(OnAbortPlan), "on_abort")]
[JsonDerivedType(typeof(EnsurePlan), "ensure")]
[JsonDerivedType(typeof(PromotionPlan), "promotion")]
[JsonDerivedType(typeof(TeardownPlan), "teardown")]
public abstract record PlanNode
{
    public required string Id { get; init; }

    /// <summary>The nodes directly inside this one, in plan order.</summary>
    [JsonIgnore]
    public virtual IEnumerable<PlanNode> Children => [];

    /// <summary>This node and every node inside it, depth first.</summary>
    public IEnumerable<PlanNode> Descendants()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var node in child.Descendants())
            {
                yield return node;
            }
        }
    }
}
