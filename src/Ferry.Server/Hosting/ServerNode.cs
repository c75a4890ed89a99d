namespace Ferry.Server.Hosting;

/// <summary>
/// Who this server is in a shared store: its id (unique to this start: the name and a random suffix, so two servers on
/// one host never take each other's builds for their own), its name, and where its data lives.
/// </summary>
public sealed record ServerNode(string Id, string Name, string DataDirectory, DateTimeOffset StartedAt)
{
    public static ServerNode Start(string name, string dataDirectory, DateTimeOffset now) =>
        new($"{name}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}", name, dataDirectory, now);

    /// <summary>Where the embedded worker keeps build directories.</summary>
    public string WorkRoot => Path.Combine(DataDirectory, "work");
}
