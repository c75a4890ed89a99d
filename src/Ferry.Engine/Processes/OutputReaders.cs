using System.Text;

namespace Ferry.Engine.Processes;

/// <summary>Keeps what a process prints as text, up to a cap; the rest is read and dropped so the process never blocks on a full pipe.</summary>
internal sealed class TextCapture(int maxChars)
{
    private readonly StringBuilder text = new();

    public string Text => text.ToString();

    public bool Truncated { get; private set; }

    public async Task ReadAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            var keep = Math.Min(read, maxChars - text.Length);
            text.Append(buffer, 0, keep);
            Truncated |= keep < read;
        }
    }
}

/// <summary>Hands each line to a callback as it comes and keeps the last few, for an error message.</summary>
internal sealed class LineTail(Action<string>? onLine, int keep)
{
    private readonly Queue<string> lines = new();

    public string Tail => string.Join('\n', lines);

    public async Task ReadAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            onLine?.Invoke(line);
            lines.Enqueue(line);
            if (lines.Count > keep)
            {
                lines.Dequeue();
            }
        }
    }
}
