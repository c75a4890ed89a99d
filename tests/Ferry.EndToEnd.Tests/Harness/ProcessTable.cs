using System.Globalization;

namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>Running processes as /proc shows them (zombies count as gone: they run nothing).</summary>
internal static class ProcessTable
{
    /// <summary>Pid and process group of every running process whose command line contains <paramref name="fragment"/>.</summary>
    public static List<(int Pid, int Group)> WithCommandLine(string fragment) =>
        [.. Running().Where(p => CommandLine(p.Pid).Contains(fragment, StringComparison.Ordinal))];

    public static bool IsRunning(int pid) => Running().Any(p => p.Pid == pid);

    public static List<int> InGroup(int group) => [.. Running().Where(p => p.Group == group).Select(p => p.Pid)];

    private static IEnumerable<(int Pid, int Group)> Running()
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }
            // After "pid (comm) ": state, ppid, pgrp.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z")
                yield return (pid, int.Parse(fields[2], CultureInfo.InvariantCulture));
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
