namespace Ferry.Engine.Loops;

/// <summary>
/// One named background component (checker, scheduler, runner, reaper). The host runs <see cref="RunOnceAsync"/>
/// every <see cref="Interval"/>, or at once when someone calls <see cref="LoopWaker.Wake"/> with its <see cref="Name"/>.
/// A pass that throws is logged and retried with back-off; other loops keep running.
/// </summary>
public interface IBackgroundLoop
{
    /// <summary>A short, unique name ("checker"); see <see cref="LoopNames"/>.</summary>
    string Name { get; }

    /// <summary>The time between the end of one pass and the start of the next.</summary>
    TimeSpan Interval { get; }

    Task RunOnceAsync(CancellationToken cancellationToken);
}

/// <summary>The names loops are registered and woken by.</summary>
public static class LoopNames
{
    public const string Checker = "checker";
    public const string Scheduler = "scheduler";
    public const string Runner = "runner";
    public const string Reaper = "reaper";
    public const string Promoter = "promoter";
    public const string Drift = "drift";
    public const string Nodes = "nodes";
}
