using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Storage.Sql;

namespace Ferry.Storage.Events;

/// <summary>A build event as stored: enums as snake_case text, payload as JSON text.</summary>
internal sealed class EventRow
{
    public long BuildId { get; set; }
    public long Seq { get; set; }
    public long Time { get; set; }
    public string Type { get; set; } = "";
    public string? StepId { get; set; }
    public string? Stream { get; set; }
    public string? Text { get; set; }
    public string? Payload { get; set; }

    public static EventRow From(long buildId, long seq, BuildEvent e) => new()
    {
        BuildId = buildId,
        Seq = seq,
        Time = e.Time.ToUnixTimeMilliseconds(),
        Type = TypeText(e.Type),
        StepId = e.StepId,
        Stream = e.Stream?.ToString().ToLowerInvariant(),
        Text = e.Text,
        Payload = e.Payload?.ToJsonString(),
    };

    public BuildEvent ToEvent() => new(
        BuildId, Seq, Col.Time(Time), ParseType(Type), StepId,
        Stream is null ? null : Enum.Parse<LogStream>(Stream, ignoreCase: true),
        Text,
        Payload is null ? null : JsonNode.Parse(Payload) as JsonObject);

    internal static string TypeText(BuildEventType type) => type switch
    {
        BuildEventType.Status => "status",
        BuildEventType.StepStarted => "step_started",
        BuildEventType.StepFinished => "step_finished",
        BuildEventType.Log => "log",
        BuildEventType.Error => "error",
        BuildEventType.Warning => "warning",
        BuildEventType.Phase => "phase",
        _ => throw new StoreException($"storing a build event: unknown event type {type}"),
    };

    private static BuildEventType ParseType(string text) =>
        Enum.TryParse<BuildEventType>(text.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var type)
            ? type
            : throw new StoreException($"reading a build event: unknown event type '{text}' in the database");
}
