using System.Text;
using Ferry.Core.Builds;

namespace Ferry.Engine.Running.Steps;

/// <summary>The <see cref="Resources.ResourceCall.Log"/> a resource type writes to: each complete line becomes stderr log, in order.</summary>
internal sealed class ResourceLogWriter(StepLog log) : TextWriter
{
    private readonly StringBuilder line = new();
    private readonly Lock gate = new();
    private Task tail = Task.CompletedTask;

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (gate)
        {
            line.Append(value);
            if (value == '\n')
            {
                Send();
            }
        }
    }

    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    /// <summary>Sends any unfinished line and waits until every line is written.</summary>
    public async Task CompleteAsync()
    {
        lock (gate)
        {
            if (line.Length > 0)
            {
                Send();
            }
        }
        await tail;
    }

    private void Send()
    {
        var text = line.ToString();
        line.Clear();
        tail = tail.ContinueWith(_ => log.WriteLineAsync(text, LogStream.Stderr).AsTask(), TaskScheduler.Default).Unwrap();
    }
}
