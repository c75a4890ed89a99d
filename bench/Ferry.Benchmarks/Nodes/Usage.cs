using System.Globalization;

namespace Ferry.Benchmarks.Nodes;

/// <summary>What the machine and the processes under test had used at one moment: taken before and after the load.</summary>
internal sealed record Usage(DateTimeOffset At, string Load, IReadOnlyDictionary<string, NodeUsage> Nodes, double? PostgresSeconds)
{
    public static Usage Take(IEnumerable<NodeApi> nodes, int? postgresPid) => new(
        DateTimeOffset.UtcNow,
        LoadAverages.Now(),
        nodes.ToDictionary(n => n.Name, n => new NodeUsage(
            ProcessUsage.Cpu(n.Server.Pid), ProcessUsage.Megabytes(n.Server.Pid, "VmRSS"), ProcessUsage.Megabytes(n.Server.Pid, "VmHWM")), StringComparer.Ordinal),
        postgresPid is { } pid ? ProcessUsage.ClusterSeconds(pid) : null);
}

/// <param name="Cpu">The server's own CPU time and its tasks' (its waited-for children).</param>
/// <param name="ResidentMb">VmRSS.</param>
/// <param name="PeakResidentMb">VmHWM: the most resident since the start or the last reset of the peak.</param>
internal sealed record NodeUsage(CpuTimes Cpu, double ResidentMb, double PeakResidentMb);

/// <summary>The machine's load averages over 1, 5 and 15 minutes, as /proc/loadavg gives them.</summary>
internal static class LoadAverages
{
    public static string Now()
    {
        var parts = File.ReadAllText("/proc/loadavg").Split(' ');
        return string.Create(CultureInfo.InvariantCulture, $"{parts[0]} / {parts[1]} / {parts[2]}");
    }
}
