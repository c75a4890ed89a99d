using Ferry.Core.Builds;

namespace Ferry.Server.Ui.Builds;

/// <summary>
/// A build's stored events folded into what its page shows: one section per step in the order steps started, with
/// its log lines, errors and outcome. ferry.js continues the same folding live from <see cref="LastSeq"/> on.
/// </summary>
internal sealed class BuildLog
{
    /// <summary>The section of events that belong to no step (the build's own errors).</summary>
    public const string BuildSection = "build";

    private readonly Dictionary<string, LogStep> _byId = new(StringComparer.Ordinal);

    public List<LogStep> Steps { get; } = [];

    public long LastSeq { get; private set; }

    public void Add(BuildEvent e)
    {
        LastSeq = Math.Max(LastSeq, e.Seq);
        switch (e.Type)
        {
            case BuildEventType.StepStarted:
                var step = Step(e.StepId);
                step.Kind = e.Payload?["kind"]?.GetValue<string>() ?? step.Kind;
                step.Name = e.Payload?["name"]?.GetValue<string>() ?? step.Name;
                break;
            case BuildEventType.StepFinished:
                Step(e.StepId).Outcome = e.Text;
                break;
            case BuildEventType.Log:
                Step(e.StepId).Lines.Add(new LogText(e.Text ?? "", e.Stream == LogStream.Stderr ? "stderr" : null));
                break;
            case BuildEventType.Error:
                Step(e.StepId).Lines.Add(new LogText((e.Text ?? "") + "\n", "error"));
                break;
            case BuildEventType.Warning:
                Step(e.StepId).Lines.Add(new LogText((e.Text ?? "") + "\n", "warning"));
                break;
            case BuildEventType.Status:
                // The build's status is shown from its record; the event only moves LastSeq.
                break;
        }
    }

    private LogStep Step(string? id)
    {
        var key = id ?? BuildSection;
        if (!_byId.TryGetValue(key, out var step))
        {
            step = new LogStep(key) { Kind = id is null ? "build" : "step", Name = id ?? "" };
            _byId[key] = step;
            Steps.Add(step);
        }
        return step;
    }
}

internal sealed class LogStep(string id)
{
    public string Id { get; } = id;
    public string Kind { get; set; } = "step";
    public string Name { get; set; } = "";
    public string? Outcome { get; set; }
    public List<LogText> Lines { get; } = [];
}

internal sealed record LogText(string Text, string? Css);
