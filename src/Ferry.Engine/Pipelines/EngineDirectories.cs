namespace Ferry.Engine.Pipelines;

/// <summary>Where the engine keeps files under the data directory: build work roots and resource caches.</summary>
public sealed class EngineDirectories(string dataDirectory)
{
    public string Root { get; } = Path.GetFullPath(dataDirectory);

    /// <summary>A build's own work root (artifacts, task directories); removed when the build ends.</summary>
    public string Build(long buildId) => Path.Combine(Root, "work", "builds", buildId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Resource types' caches (for git: bare clones keyed by uri), shared by checks and the builds' gets and puts so
    /// a get finds the commit its check already fetched.
    /// </summary>
    public string ResourceCache
    {
        get
        {
            var path = Path.Combine(Root, "work", "resource-cache");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    public string Builds => Path.Combine(Root, "work", "builds");

    /// <summary>The process groups this server started and that still run, so the next start can kill what a crash left.</summary>
    public string Processes => Path.Combine(Root, "work", "processes");

    /// <summary>The containers this server started and that may still exist, so the next start can remove what a crash left.</summary>
    public string Containers => Path.Combine(Root, "work", "containers");
}
