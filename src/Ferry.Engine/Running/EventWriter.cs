using System.Text.Json.Nodes;
using Ferry.Core.Builds;

namespace Ferry.Engine.Running;

/// <summary>Sends a build's events to its sink one at a time (steps run in parallel), redacting every text.</summary>
internal sealed class EventWriter(long buildId, IBuildEventSink sink)
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public Redactor? Redactor { get; set; }

    public async ValueTask WriteAsync(BuildEventType type, string? stepId = null, string? text = null, LogStream? stream = null, JsonObject? payload = null)
    {
        if (text is not null && Redactor is not null)
        {
            text = Redactor.Redact(text);
        }
        var buildEvent = new BuildEvent(buildId, 0, DateTimeOffset.UtcNow, type, stepId, stream, text, payload);
        await gate.WaitAsync(CancellationToken.None);
        try
        {
            await sink.WriteAsync(buildEvent);
        }
        finally
        {
            gate.Release();
        }
    }

    public ValueTask ErrorAsync(string? stepId, string message) => WriteAsync(BuildEventType.Error, stepId, message);

    public ValueTask WarningAsync(string? stepId, string message) => WriteAsync(BuildEventType.Warning, stepId, message);
}
