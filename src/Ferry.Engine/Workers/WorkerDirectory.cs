using Ferry.Engine.Pipelines;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Workers;

/// <summary>
/// A remote worker's work directory, laid out as a server's (<see cref="EngineDirectories"/>): builds' work roots,
/// resource caches kept between builds (git clones), the records of running process groups and containers. One
/// worker uses it at a time (a lock file), and each start clears what a worker that died left: the process groups
/// its tasks started (the parent-death signal killed only their first process) and the builds' directories (the
/// servers end those builds as lost after the worker timeout).
/// </summary>
public sealed class WorkerDirectory : IDisposable
{
    private readonly FileStream _lock;

    private WorkerDirectory(EngineDirectories directories, FileStream lockFile, int reapedProcessGroups, int removedBuilds)
    {
        Directories = directories;
        _lock = lockFile;
        ReapedProcessGroups = reapedProcessGroups;
        RemovedBuilds = removedBuilds;
    }

    public EngineDirectories Directories { get; }

    /// <summary>Process groups a worker that died on this directory left running, killed at this start.</summary>
    public int ReapedProcessGroups { get; }

    /// <summary>Work roots of builds a worker that died left, removed at this start.</summary>
    public int RemovedBuilds { get; }

    /// <summary>The default: <c>$XDG_STATE_HOME/ferry-worker/NAME</c>, else <c>~/.local/state/ferry-worker/NAME</c>.</summary>
    public static string Default(string name)
    {
        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (string.IsNullOrWhiteSpace(state))
            state = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
        return Path.Combine(state, "ferry-worker", name);
    }

    /// <exception cref="IOException">Another worker uses the directory, or it cannot be made.</exception>
    public static WorkerDirectory Open(string path)
    {
        var directories = new EngineDirectories(path);
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(directories.Root);
        else
            Directory.CreateDirectory(directories.Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var lockPath = Path.Combine(directories.Root, "worker.lock");
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"another ferry worker uses the work directory {directories.Root} ({e.Message}); give each worker its own --work-dir", e);
        }
        try
        {
            var reaped = ProcessRunner.ReapLeftovers(directories.Processes);
            var removed = 0;
            if (Directory.Exists(directories.Builds))
            {
                foreach (var build in Directory.EnumerateDirectories(directories.Builds))
                {
                    Directory.Delete(build, recursive: true);
                    removed++;
                }
            }
            return new WorkerDirectory(directories, lockFile, reaped, removed);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    public void Dispose() => _lock.Dispose();
}
