using System.Globalization;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Containers;

/// <summary>
/// The containers a server started and that may still exist: one file per container under the data directory,
/// written before <c>podman run</c> and removed once the container is gone. A server that dies takes its sentinel's
/// cleanup with it only if the sentinel dies too (the machine, an operator); the next start removes what is recorded.
/// </summary>
/// <remarks>A file is named after the container and holds <c>server-pid:start</c>, so a live server's containers are left alone.</remarks>
internal sealed class ContainerRecord(string directory)
{
    public void Add(string name)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name), $"{LinuxProcesses.Self}\n");
    }

    public void Remove(string name) => File.Delete(Path.Combine(directory, name));

    /// <summary>The recorded containers whose server is gone; their files are removed by <see cref="Forget"/>.</summary>
    public static IReadOnlyList<string> Leftovers(string directory)
    {
        if (!Directory.Exists(directory))
            return [];
        var names = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            string server;
            try
            {
                server = File.ReadAllText(file).Trim();
            }
            catch (FileNotFoundException)
            {
                continue; // its container just ended
            }
            if (!IsAlive(server))
                names.Add(Path.GetFileName(file));
        }
        return names;
    }

    public static void Forget(string directory, IEnumerable<string> names)
    {
        foreach (var name in names)
            File.Delete(Path.Combine(directory, name));
    }

    private static bool IsAlive(string identity) =>
        int.TryParse(identity.Split(':')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && LinuxProcesses.Identity(pid) == identity;
}
