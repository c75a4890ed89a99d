using System.Globalization;
using System.Text;

namespace Ferry.Engine.Processes;

/// <summary>
/// The process groups a server started and that may still run, for the next start to kill when both the server and
/// its watcher (<see cref="GroupWatch"/>) died: one append-only file per runner under the data directory, a line when a
/// group starts (<c>+ leader-pid:start</c>) and one when it was killed (<c>- pid</c>). One write a line, where a file a
/// group cost an open, a write, a close and an unlink a task (bench/README.md, runner-figures).
/// </summary>
/// <remarks>
/// The first line is <c>boot-id server-pid:start</c>, so a reused pid or a live server is never killed. Past
/// <see cref="CompactAt"/> bytes the file is rewritten with the groups that still run.
/// </remarks>
internal sealed class ProcessGroupRecord(string directory)
{
    private const long CompactAt = 1 << 20;
    private static int instances;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, string> _running = [];
    private readonly string _path = Path.Combine(directory,
        $"{LinuxProcesses.Self.Replace(':', '-')}-{Interlocked.Increment(ref instances).ToString(CultureInfo.InvariantCulture)}");
    private FileStream? _file;
    private long _written;

    public void Add(int group)
    {
        var leader = LinuxProcesses.Identity(group) ?? $"{group}:0";
        lock (_gate)
        {
            _running[group] = leader;
            Append($"+ {leader}\n");
        }
    }

    public void Remove(int group)
    {
        lock (_gate)
        {
            if (_running.Remove(group))
                Append($"- {group.ToString(CultureInfo.InvariantCulture)}\n");
        }
    }

    private void Append(string line)
    {
        if (_file is null || _written > CompactAt)
        {
            // Created on first use (and whenever it grew too long), not checked with a stat every task.
            Rewrite();
            return;
        }
        var bytes = Encoding.ASCII.GetBytes(line);
        _file.Write(bytes);
        _written += bytes.Length;
    }

    /// <summary>Writes the header and every group that runs into a new file, then puts it in the old one's place.</summary>
    private void Rewrite()
    {
        Directory.CreateDirectory(directory);
        var text = new StringBuilder().Append(LinuxProcesses.BootId).Append(' ').Append(LinuxProcesses.Self).Append('\n');
        foreach (var leader in _running.Values)
            text.Append("+ ").Append(leader).Append('\n');
        var bytes = Encoding.ASCII.GetBytes(text.ToString());
        var next = new FileStream(_path + ".new", FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            next.Write(bytes);
            File.Move(_path + ".new", _path, overwrite: true);
        }
        catch
        {
            next.Dispose();
            throw;
        }
        _file?.Dispose();
        _file = next;
        _written = bytes.Length;
    }

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
            string[] lines;
            try
            {
                lines = File.ReadAllLines(file);
            }
            catch (FileNotFoundException)
            {
                continue; // a rewrite just replaced it
            }
            var header = lines.FirstOrDefault()?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
            if (header.Length == 2 && IsAlive(header[1]))
                continue;
            if (header.Length == 2 && header[0] == LinuxProcesses.BootId)
            {
                foreach (var (group, leader) in Running(lines.Skip(1)))
                {
                    if (!IsReused(group, leader) && ProcessGroup.Kill(group))
                        killed++;
                }
            }
            File.Delete(file);
        }
        return killed;
    }

    /// <summary>The groups a record's lines leave running: each <c>+</c> not followed by its <c>-</c>.</summary>
    private static Dictionary<int, string> Running(IEnumerable<string> lines)
    {
        var running = new Dictionary<int, string>();
        foreach (var line in lines)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2 || !int.TryParse(fields[1].Split(':')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var group))
                continue; // a line cut short by the crash
            if (fields[0] == "+")
                running[group] = fields[1];
            else if (fields[0] == "-")
                running.Remove(group);
        }
        return running;
    }

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
