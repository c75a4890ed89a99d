using System.Text.Json.Nodes;

namespace Ferry.Core.Builds;

/// <summary>
/// One thing that happened in a build, in the order the store numbers them (<see cref="Seq"/>, 0 until stored).
/// A <see cref="BuildEventType.Log"/> event carries one or more complete lines (each ending in a newline) of one stream.
/// </summary>
public sealed record BuildEvent(
    long BuildId,
    long Seq,
    DateTimeOffset Time,
    BuildEventType Type,
    string? StepId = null,
    LogStream? Stream = null,
    string? Text = null,
    JsonObject? Payload = null);

public enum BuildEventType
{
    /// <summary>The build's status changed; <see cref="BuildEvent.Text"/> is the new status (lower case).</summary>
    Status,

    /// <summary>A step began; the payload names the step (<c>kind</c>, <c>name</c>).</summary>
    StepStarted,

    /// <summary>A step ended; <see cref="BuildEvent.Text"/> is its outcome, the payload may hold <c>exit_status</c> or <c>version</c>.</summary>
    StepFinished,

    Log,

    /// <summary>Something kept a step from doing its work (bad config, missing input, resource error).</summary>
    Error,

    Warning,

    /// <summary>
    /// A promotion's build moved on to its next phase; <see cref="BuildEvent.Text"/> names it (<c>verify</c>). The
    /// promoter reads it from the store: the runner never changes promotion state itself.
    /// </summary>
    Phase,
}

public enum LogStream
{
    Stdout,
    Stderr,
}

/// <summary>Where a build's events go (the store, a live stream, a test's list). Calls never overlap for one build.</summary>
public interface IBuildEventSink
{
    ValueTask WriteAsync(BuildEvent buildEvent);
}
