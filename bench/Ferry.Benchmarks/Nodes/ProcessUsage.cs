using System.Diagnostics;
using System.Globalization;

namespace Ferry.Benchmarks.Nodes;

/// <summary>
/// What a process used, read from /proc: its own CPU time (utime + stime), the CPU time of its children it waited
/// for (cutime + cstime: a server's task processes), and its resident memory.
/// </summary>
internal readonly record struct CpuTimes(double OwnSeconds, double ChildrenSeconds)
{
    public static CpuTimes operator -(CpuTimes end, CpuTimes start) =>
        new(end.OwnSeconds - start.OwnSeconds, end.ChildrenSeconds - start.ChildrenSeconds);
}

internal static class ProcessUsage
{
    private static readonly Lazy<double> TicksPerSecond = new(ClockTicks);

    public static CpuTimes Cpu(int pid)
    {
        var fields = StatFields(pid) ?? throw new InvalidOperationException($"process {pid} is gone: no /proc/{pid}/stat");
        return new CpuTimes((Ticks(fields, 11) + Ticks(fields, 12)) / TicksPerSecond.Value, (Ticks(fields, 13) + Ticks(fields, 14)) / TicksPerSecond.Value);
    }

    /// <summary>
    /// A PostgreSQL cluster's CPU seconds: the postmaster's own and its ended backends' (cutime + cstime), and the own
    /// time of its live backends. A backend that ends during a run counts its whole life, so this is an upper bound.
    /// </summary>
    public static double ClusterSeconds(int postmaster)
    {
        var cpu = Cpu(postmaster);
        var total = cpu.OwnSeconds + cpu.ChildrenSeconds;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == postmaster)
                continue;
            if (StatFields(pid) is { } fields && fields[1] == postmaster.ToString(CultureInfo.InvariantCulture))
                total += (Ticks(fields, 11) + Ticks(fields, 12)) / TicksPerSecond.Value;
        }
        return total;
    }

    /// <summary>A field of /proc/PID/status in MB (VmRSS: resident now; VmHWM: the most resident since start or reset).</summary>
    public static double Megabytes(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        throw new InvalidOperationException($"no {field} in /proc/{pid}/status");
    }

    /// <summary>The fields of /proc/PID/stat after the command name (index 0 is the state, 1 the parent's pid), or null when it ended.</summary>
    private static string[]? StatFields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // The command name is in parentheses and may hold spaces or parentheses itself.
        return text[(text.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static long Ticks(string[] fields, int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);

    private static double ClockTicks()
    {
        var info = new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run getconf CLK_TCK");
        var text = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return double.Parse(text, CultureInfo.InvariantCulture);
    }
}
