namespace Ferry.Engine.Running.Steps;

/// <summary>Runs steps at once (at most <c>limit</c>); with fail_fast the first failure cancels the rest.</summary>
internal sealed class InParallelExecutor(IReadOnlyList<IStep> steps, int? limit, bool failFast) : IStep
{
    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellation) =>
        await Parallel.RunAsync(steps.Select(step => (Func<CancellationToken, Task<StepOutcome>>)(token => step.RunAsync(context, token))), limit, failFast, cancellation);
}

internal static class Parallel
{
    public static async Task<StepOutcome> RunAsync(IEnumerable<Func<CancellationToken, Task<StepOutcome>>> runs, int? limit, bool failFast, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var slots = new SemaphoreSlim(limit is > 0 ? limit.Value : int.MaxValue);
        var failed = 0;
        async Task<StepOutcome> One(Func<CancellationToken, Task<StepOutcome>> run)
        {
            await slots.WaitAsync(CancellationToken.None);
            try
            {
                if (stop.IsCancellationRequested)
                {
                    return StepOutcome.Aborted;
                }
                var outcome = await run(stop.Token);
                if (failFast && outcome is StepOutcome.Failed or StepOutcome.Errored)
                {
                    Interlocked.Exchange(ref failed, 1);
                    await stop.CancelAsync();
                }
                return outcome;
            }
            finally
            {
                slots.Release();
            }
        }
        var outcomes = await Task.WhenAll(runs.Select(One).ToList());
        if (cancellation.IsCancellationRequested)
        {
            return StepOutcome.Aborted;
        }
        if (outcomes.Contains(StepOutcome.Errored))
        {
            return StepOutcome.Errored;
        }
        if (outcomes.Contains(StepOutcome.Failed))
        {
            return StepOutcome.Failed;
        }
        return outcomes.Contains(StepOutcome.Aborted) ? StepOutcome.Aborted : StepOutcome.Succeeded;
    }
}
