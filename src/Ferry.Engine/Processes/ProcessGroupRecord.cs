using System.Globalization;

namespace Ferry.Engine.Processes;

/// <summary>
/// The process groups a server started and that may still run: one file per group under the data directory,
/// written when the group starts and removed once it is killed. The parent-death signal kills a child with its
/// server, but not the processes that child started; the next start kills those (<see cref="ReapLeftovers"/>).
/// </summary>
/// <remarks>A file is <c>boot-id leader-pid:start server-pid:start</c>, so a reused pid or a live server is never killed.</remarks>
internal sealed class ProcessGroupRecord(string directory)
{
    public void Add(int group)
    {
        var leader = LinuxProcesses.Identity(group) ?? $"{group}:0";
        var path = Path.Combine(directory, Name(group));
        var text = $"{LinuxProcesses.BootId} {leader} {LinuxProcesses.Self}\n";
        try
        {
            File.WriteAllText(path, text);
        }
        catch (IOException e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            // Created on first use (or again, if removed), not checked with a stat every task. .NET names a missing
            // file when the directory exists by the time it looks, as when another task's add just created it.
            Directory.CreateDirectory(directory);
            File.WriteAllText(path, text);
        }
    }

    public void Remove(int group) => File.Delete(Path.Combine(directory, Name(group)));

    /// <summary>
    /// Kills every recorded group whose server is gone and removes its file; returns how many groups still had
    /// processes. Groups of a server that still runs (another one on this data directory) are left alone.
    /// </summary>
    public static int ReapLeftovers(string directory)
    {
        if (!Directory.Exists(directory))
            return 0;
        var killed = 0;
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            string[] fields;
            try
            {
                fields = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
            catch (FileNotFoundException)
            {
                continue; // its group just ended
            }
            if (fields.Length == 3 && int.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out var group))
            {
                if (IsAlive(fields[2]))
                    continue;
                if (fields[0] == LinuxProcesses.BootId && !IsReused(group, fields[1]) && ProcessGroup.Kill(group))
                    killed++;
            }
            File.Delete(file);
        }
        return killed;
    }

    private static string Name(int group) => group.ToString(CultureInfo.InvariantCulture);

    /// <summary>The process named by <c>pid:start</c> still runs (the same one, not a later one with its pid).</summary>
    private static bool IsAlive(string identity) =>
        int.TryParse(identity.Split(':')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && LinuxProcesses.Identity(pid) == identity;

    /// <summary>
    /// The group's leader pid belongs to a later process, so the group id may be someone else's. A leader that is
    /// gone is no such sign: the kernel does not hand out a group id while a process of that group still runs.
    /// </summary>
    private static bool IsReused(int group, string leader) =>
        LinuxProcesses.Identity(group) is { } now && now != leader;
}
