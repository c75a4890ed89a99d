namespace Ferry.Engine.Pipelines;

/// <summary>Where the engine keeps files under the data directory: build work roots and resource caches.</summary>
public sealed class EngineDirectories(string dataDirectory)
{
    public string Root { get; } = Path.GetFullPath(dataDirectory);

    /// <summary>A build's own work root (artifacts, task directories); removed when the build ends.</summary>
    public string Build(long buildId) => Path.Combine(Root, "work", "builds", buildId.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>A resource's cache (for git: the bare clone checks fetch into), kept between checks.</summary>
    public string ResourceCache(int resourceId)
    {
        var path = Path.Combine(Root, "work", "resources", resourceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(path);
        return path;
    }

    public string Builds => Path.Combine(Root, "work", "builds");
}
