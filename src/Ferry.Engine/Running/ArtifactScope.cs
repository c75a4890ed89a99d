using System.Collections.Concurrent;

namespace Ferry.Engine.Running;

/// <summary>
/// The build's artifacts by name: directories under the work root. A nested scope (an across iteration) sees
/// its parent's artifacts; what it registers stays inside it.
/// </summary>
internal sealed class ArtifactScope(ArtifactScope? parent = null)
{
    private readonly ConcurrentDictionary<string, string> artifacts = new(StringComparer.Ordinal);

    public void Register(string name, string directory) => artifacts[name] = directory;

    public string? Find(string name) =>
        artifacts.TryGetValue(name, out var directory) ? directory : parent?.Find(name);

    /// <summary>Every visible artifact; an inner scope's name hides the same name outside.</summary>
    public IReadOnlyDictionary<string, string> All()
    {
        var all = parent is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(parent.All());
        foreach (var (name, directory) in artifacts)
        {
            all[name] = directory;
        }
        return all;
    }

    /// <summary>Resolves <c>artifact/dir/file</c> to a path on disk; <paramref name="what"/> names the step and field for errors.</summary>
    public string ResolveFile(string file, string what)
    {
        var relative = Paths.Relative(file, what);
        var slash = relative.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            throw new StepException($"{what}: '{file}' must be a path inside an artifact (artifact/path/to/file)");
        }
        var name = relative[..slash];
        var directory = Find(name) ?? throw new StepException($"{what}: '{file}': no artifact named '{name}'");
        var path = Path.Combine(directory, relative[(slash + 1)..]);
        return File.Exists(path) ? path : throw new StepException($"{what}: '{file}': file not found in artifact '{name}'");
    }
}

internal static class Paths
{
    /// <summary>A path relative to a directory that cannot leave it.</summary>
    public static string Relative(string path, string what)
    {
        var trimmed = path.Trim().TrimEnd('/');
        if (trimmed.Length == 0 || Path.IsPathRooted(trimmed) || trimmed.Split('/').Any(s => s == ".."))
        {
            throw new StepException($"{what}: path '{path}' must be relative and stay inside its directory");
        }
        return trimmed.StartsWith("./", StringComparison.Ordinal) ? trimmed[2..] : trimmed;
    }
}
