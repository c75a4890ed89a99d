namespace Ferry.Core.Pipelines.Steps;

/// <summary>One step of a plan with the modifiers any step can carry (timeout, attempts, tags, hooks, across).</summary>
/// <remarks>The engine wraps a step in timeout/retry/hook steps when it compiles a plan; here they are plain fields.</remarks>
public abstract class Step : ConfigNode
{
    /// <summary>get, put, task, set_pipeline, load_var, in_parallel, do or try.</summary>
    public abstract string Kind { get; }

    /// <summary>A Go duration (<c>1h30m</c>); null when none.</summary>
    public string? Timeout { get; internal set; }
    public int? Attempts { get; internal set; }
    public IReadOnlyList<string> Tags { get; internal set; } = [];
    public Step? OnSuccess { get; internal set; }
    public Step? OnFailure { get; internal set; }
    public Step? OnError { get; internal set; }
    public Step? OnAbort { get; internal set; }
    public Step? Ensure { get; internal set; }
    /// <summary>Null when the step has no <c>across:</c>.</summary>
    public IReadOnlyList<AcrossVar>? Across { get; internal set; }
    public bool AcrossFailFast { get; internal set; }

    /// <summary>Steps nested inside this one (in_parallel, do, try), not the hooks.</summary>
    public virtual IEnumerable<Step> Children => [];

    public IEnumerable<Step> Hooks => new[] { OnSuccess, OnFailure, OnError, OnAbort, Ensure }.OfType<Step>();

    /// <summary>This step, its children and its hooks, depth first.</summary>
    public IEnumerable<Step> SelfAndDescendants()
    {
        var pending = new Stack<Step>();
        pending.Push(this);
        while (pending.Count > 0)
        {
            var step = pending.Pop();
            yield return step;
            foreach (var next in step.Hooks.Reverse().Concat(step.Children.Reverse()))
            {
                pending.Push(next);
            }
        }
    }
}

/// <summary>One var of <c>across:</c>: the step runs once per value.</summary>
public sealed class AcrossVar : ConfigNode
{
    public string Var { get; init; } = "";
    /// <summary>A JSON array, or a string placeholder resolved at run time.</summary>
    public System.Text.Json.Nodes.JsonNode? Values { get; init; }
    /// <summary>Null: one at a time; <see cref="MaxInFlightAll"/>: all at once.</summary>
    public int? MaxInFlight { get; init; }
    public bool MaxInFlightAll { get; init; }
}
