namespace Ferry.Engine.Running;

/// <summary>
/// One executable piece of a build plan. Modifiers (timeout, attempts, hooks, in_parallel, do, try, across) are
/// steps that wrap steps, as Concourse's <c>exec</c> package does. Steps keep no state between runs, so one
/// instance runs any number of times (attempts, across).
/// </summary>
internal interface IStep
{
    Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellation);
}

public enum StepOutcome
{
    Succeeded,

    /// <summary>The work ran and said no (a task exited non-zero, a timeout).</summary>
    Failed,

    /// <summary>The work could not run (missing input, bad config, a resource type error).</summary>
    Errored,

    /// <summary>Cancelled from outside (abort, or a fail-fast sibling).</summary>
    Aborted,
}

/// <summary>A step could not do its work; the message says what and where.</summary>
internal sealed class StepException(string message, Exception? inner = null) : Exception(message, inner);
