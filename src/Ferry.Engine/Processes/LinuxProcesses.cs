using System.Globalization;

namespace Ferry.Engine.Processes;

/// <summary>What /proc says about processes: enough to tell a process from a later one that reuses its pid.</summary>
internal static class LinuxProcesses
{
    /// <summary>Changes with every boot; pids and start times mean nothing across boots.</summary>
    public static string BootId { get; } = ReadOrEmpty("/proc/sys/kernel/random/boot_id").Trim();

    /// <summary>This process, as <see cref="Identity"/> names it.</summary>
    public static string Self { get; } = Identity(Environment.ProcessId) ?? $"{Environment.ProcessId}:0";

    /// <summary><c>pid:start</c> (start in clock ticks after boot), or null when no such process runs.</summary>
    public static string? Identity(int pid) => StartTime(pid) is { } start ? $"{pid}:{start}" : null;

    public static long? StartTime(int pid)
    {
        var stat = ReadOrEmpty($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces; start time is field 22.
        var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length > 19 && long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start) ? start : null;
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
