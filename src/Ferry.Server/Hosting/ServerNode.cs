namespace Ferry.Server.Hosting;

/// <summary>Who this server is in a shared store: the name it claims builds with, and where its data lives.</summary>
public sealed record ServerNode(string Name, string DataDirectory, DateTimeOffset StartedAt)
{
    /// <summary>Where the embedded worker keeps build directories.</summary>
    public string WorkRoot => Path.Combine(DataDirectory, "work");
}
