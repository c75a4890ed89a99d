namespace Ferry.Engine.Processes;

/// <summary>What to run, where, and with exactly which environment: nothing of the server's own reaches the process.</summary>
/// <param name="FileName">A path, or a name looked up in <paramref name="Environment"/>'s PATH.</param>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>Where <see cref="FileName"/> is, when the caller looked it up already (<see cref="ProcessLauncher.Locate"/>).</summary>
    public string? Executable { get; init; }

    /// <summary>Written to the process's stdin, which is then closed; null closes it at once.</summary>
    public string? Stdin { get; init; }

    /// <summary>How long to wait for the output pipes after the process and its group are gone.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Reads a process's stdout and stderr as they come (each on its own task).</summary>
public sealed record ProcessOutput(Func<Stream, Task> Stdout, Func<Stream, Task> Stderr);

/// <summary>A finished run of <see cref="ProcessRunner.CaptureAsync"/>.</summary>
/// <param name="StderrTail">The last lines of stderr, for error messages.</param>
public sealed record CapturedRun(int ExitCode, string Stdout, string StderrTail, bool StdoutTruncated);
