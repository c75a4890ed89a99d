using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Ferry.Engine.Processes;

/// <summary>
/// Starts every child as <c>setsid setpriv --pdeathsig KILL -- command</c>: the leader of its own process group (so
/// its whole tree can be killed at once) that the kernel kills when the server dies, even by SIGKILL.
/// </summary>
/// <remarks>
/// The kernel sends the parent-death signal when the <em>thread</em> that forked the child ends, not the process
/// (prctl(2)), and a thread-pool thread ends after a while idle. So every child is forked from one thread that
/// lives as long as the server.
/// </remarks>
internal static class ProcessLauncher
{
    private static readonly Lazy<string> Setsid = new(() => Tool("setsid"));
    private static readonly Lazy<string> Setpriv = new(() => Tool("setpriv"));
    private static readonly BlockingCollection<(Process Process, TaskCompletionSource Started)> Pending = [];

    static ProcessLauncher() => StartForker();

    public static ProcessStartInfo StartInfo(ProcessSpec spec)
    {
        var info = new ProcessStartInfo(Setsid.Value)
        {
            WorkingDirectory = spec.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
        };
        // setsid execs in place (a child of the server is not a group leader), and so does setpriv: the pid of
        // the started process is the command's, and its process group id.
        foreach (var argument in new[] { "--", Setpriv.Value, "--pdeathsig", "KILL", "--", spec.FileName }.Concat(spec.Arguments))
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Clear();
        foreach (var (name, value) in spec.Environment)
        {
            info.Environment[name] = value;
        }
        return info;
    }

    /// <summary>Starts <paramref name="process"/> on the forking thread; completes once it runs.</summary>
    public static Task StartAsync(Process process)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Pending.Add((process, started));
        return started.Task;
    }

    private static void StartForker()
    {
        var thread = new Thread(() =>
        {
            foreach (var (process, started) in Pending.GetConsumingEnumerable())
            {
                try
                {
                    process.Start();
                    started.SetResult();
                }
                catch (Exception e)
                {
                    started.SetException(e);
                }
            }
        })
        {
            IsBackground = true,
            Name = "ferry process forker",
        };
        thread.Start();
    }

    private static string Tool(string name) =>
        new[] { $"/usr/bin/{name}", $"/bin/{name}" }.FirstOrDefault(File.Exists)
        ?? throw new PlatformNotSupportedException($"running processes needs {name} (util-linux)");
}
