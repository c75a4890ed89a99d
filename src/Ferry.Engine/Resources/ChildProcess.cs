using System.Diagnostics;
using System.Text;

namespace Ferry.Engine.Resources;

internal sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory)
{
    /// <summary>Variables to set; a null value removes the variable.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Start from an empty environment instead of this process's.</summary>
    public bool ClearEnvironment { get; init; }

    public string? Stdin { get; init; }

    public Action<string>? OnStderrLine { get; init; }

    /// <summary>Stdout beyond this many characters is read and dropped, so a runaway process cannot exhaust memory.</summary>
    public int MaxStdoutChars { get; init; } = int.MaxValue;
}

internal sealed record ProcessResult(int ExitCode, string Stdout, string StderrTail, bool StdoutTruncated = false);

/// <summary>Runs a child process to completion; cancellation kills its whole process tree.</summary>
internal static class ChildProcess
{
    private const int TailLines = 20;

    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        var info = new ProcessStartInfo(spec.FileName)
        {
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in spec.Arguments)
            info.ArgumentList.Add(argument);
        if (spec.ClearEnvironment)
            info.Environment.Clear();
        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
                info.Environment.Remove(name);
            else
                info.Environment[name] = value;
        }

        using var process = new Process { StartInfo = info };
        process.Start();
        await using var kill = cancellation.Register(() => Kill(process));

        var stdout = ReadCappedAsync(process.StandardOutput, spec.MaxStdoutChars);
        var tail = new Queue<string>();
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                spec.OnStderrLine?.Invoke(line);
                tail.Enqueue(line);
                if (tail.Count > TailLines)
                    tail.Dequeue();
            }
        }, CancellationToken.None);

        try
        {
            if (spec.Stdin is not null)
                await process.StandardInput.WriteAsync(spec.Stdin.AsMemory(), CancellationToken.None);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process exited without reading its input; its exit code tells what happened.
        }

        await process.WaitForExitAsync(CancellationToken.None);
        var (output, truncated) = await stdout;
        await stderr;
        cancellation.ThrowIfCancellationRequested();
        return new ProcessResult(process.ExitCode, output, string.Join('\n', tail), truncated);
    }

    private static async Task<(string Text, bool Truncated)> ReadCappedAsync(StreamReader reader, int max)
    {
        var text = new StringBuilder();
        var buffer = new char[8192];
        var truncated = false;
        int read;
        while ((read = await reader.ReadAsync(buffer, CancellationToken.None)) > 0)
        {
            var keep = Math.Min(read, max - text.Length);
            text.Append(buffer, 0, keep);
            truncated |= keep < read;
        }

        return (text.ToString(), truncated);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
