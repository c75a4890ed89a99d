using System.Diagnostics;
using System.Globalization;

namespace Ferry.Engine.Processes;

/// <summary>
/// Kills the process groups the server started when the server dies, even by SIGKILL: a small awk program in its own
/// session is told each group as it starts (<c>+ id</c>) and ends (<c>- id</c>) on its stdin, and when that pipe
/// closes, which the kernel does when the server dies, kills the groups still listed. One process for the server's
/// life instead of a parent-death wrapper exec'd before every child; <see cref="ProcessGroupRecord"/> covers a
/// watcher that died with the server (a kill of the server's whole tree).
/// </summary>
internal static class GroupWatch
{
    // awk, not sh: sh's `read` takes a pipe a byte at a time (a system call and a wake-up per byte, 16 a task), awk
    // reads what is there at once. The groups are acted on only at the end of input, so buffering delays nothing.
    private const string Script = """
        $1 == "+" { groups[$2] = 1 }
        $1 == "-" { delete groups[$2] }
        END { line = ""; for (n in groups) line = line " -" n; if (line != "") system("kill -9" line " 2>/dev/null") }
        """;

    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Groups = [];
    private static Process? watcher;

    /// <summary>The watcher's pid, for tests; starts it when it does not run.</summary>
    public static int WatcherPid
    {
        get
        {
            lock (Gate)
            {
                return Running().Id;
            }
        }
    }

    public static void Add(int group)
    {
        lock (Gate)
        {
            Groups.Add(group);
            Send($"+ {group.ToString(CultureInfo.InvariantCulture)}\n");
        }
    }

    public static void Remove(int group)
    {
        lock (Gate)
        {
            Groups.Remove(group);
            Send($"- {group.ToString(CultureInfo.InvariantCulture)}\n");
        }
    }

    /// <summary>
    /// Closes the watcher's stdin, as the kernel does when the server dies: it kills every group it lists. For tests;
    /// the next group starts a new watcher, told every group that still runs.
    /// </summary>
    public static void CloseInput()
    {
        lock (Gate)
        {
            watcher?.StandardInput.Close();
            watcher?.Dispose();
            watcher = null;
        }
    }

    private static void Send(string line)
    {
        try
        {
            Running().StandardInput.Write(line);
        }
        catch (IOException)
        {
            // It was killed: a new one, told every group that runs.
            Replace();
            Running();
        }
    }

    private static Process Running()
    {
        if (watcher is not null)
        {
            return watcher;
        }
        Replace();
        var info = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in new[] { "awk", Script })
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment.Clear();
        info.Environment["PATH"] = "/usr/bin:/bin";
        var started = Process.Start(info) ?? throw new InvalidOperationException("the process group watcher did not start");
        started.StandardInput.AutoFlush = true;
        foreach (var group in Groups)
        {
            started.StandardInput.Write($"+ {group.ToString(CultureInfo.InvariantCulture)}\n");
        }
        watcher = started;
        return started;
    }

    private static void Replace()
    {
        if (watcher is null)
        {
            return;
        }
        try
        {
            // Not its stdin closed: that would kill every group it lists.
            watcher.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        watcher.Dispose();
        watcher = null;
    }
}
