namespace Ferry.Cli.Tests;

/// <summary>A writer that may be read while another thread writes to it (Spectre's spinner, a verb still running).</summary>
internal sealed class SharedWriter : StringWriter
{
    private readonly Lock _lock = new();

    public override void Write(char value)
    {
        lock (_lock)
            base.Write(value);
    }

    public override void Write(string? value)
    {
        lock (_lock)
            base.Write(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        lock (_lock)
            base.Write(buffer, index, count);
    }

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_lock)
            base.Write(buffer);
    }

    public override void WriteLine(ReadOnlySpan<char> buffer)
    {
        lock (_lock)
            base.WriteLine(buffer);
    }

    public override string ToString()
    {
        lock (_lock)
            return base.ToString();
    }

    /// <summary>Waits until <paramref name="text"/> has been written, failing after 10 s.</summary>
    public async Task ShowsAsync(string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!ToString().Contains(text, StringComparison.Ordinal))
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"'{text}' was never written; there is:\n{this}");
            await Task.Delay(20);
        }
    }
}
