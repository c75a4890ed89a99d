using System.Text.Json.Nodes;
using Ferry.Core.Plans;

namespace Ferry.Engine.Running.Steps;

/// <summary>Runs its step once per combination of the vars' values; each run has its own local vars and artifacts.</summary>
internal sealed class AcrossExecutor(AcrossPlan plan, IStep step) : IStep
{
    public Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellation)
    {
        IEnumerable<Dictionary<string, JsonNode?>> combinations = [new Dictionary<string, JsonNode?>(StringComparer.Ordinal)];
        foreach (var v in plan.Vars)
        {
            combinations = combinations.SelectMany(c => v.Values.Select(value => new Dictionary<string, JsonNode?>(c) { [v.Var] = value?.DeepClone() }));
        }
        var runs = combinations.Select(values => (Func<CancellationToken, Task<StepOutcome>>)(token => step.RunAsync(context.Nested(values), token)));
        return Parallel.RunAsync(runs, Math.Max(1, plan.MaxInFlight), plan.FailFast, cancellation);
    }
}
