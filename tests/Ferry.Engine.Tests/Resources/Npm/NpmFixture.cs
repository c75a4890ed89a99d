using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.Npm;
using Ferry.Tests.LocalServers;

namespace Ferry.Engine.Tests.Resources.Npm;

/// <summary>
/// One verdaccio for a test class; each test uses packages of its own (<see cref="NewName"/>), so they do not see
/// each other's versions. Publishing goes through the type's own put, as a pipeline would.
/// </summary>
public sealed class NpmFixture : IAsyncLifetime
{
    private Verdaccio? _registry;
    private int _packages;

    internal Verdaccio Registry => _registry ?? throw new InvalidOperationException("verdaccio did not start");

    public async Task InitializeAsync()
    {
        if (Verdaccio.SkipReason is null)
            _registry = await Verdaccio.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null)
            await _registry.DisposeAsync();
    }

    /// <summary>A package name no other test uses: <c>@acme/{stem}-{n}</c>.</summary>
    internal string NewName(string stem, string scope = "acme") => $"@{scope}/{stem}-{Interlocked.Increment(ref _packages)}";

    internal JsonObject Source(string package, string? tag = null, string? range = null, bool prereleases = false, string? token = null)
    {
        var source = new JsonObject { ["package"] = package, ["registry"] = Registry.Url, ["token"] = token ?? Registry.Token };
        if (tag is not null)
            source["tag"] = tag;
        if (range is not null)
            source["range"] = range;
        if (prereleases)
            source["prereleases"] = true;
        return source;
    }

    /// <summary>A call with its own work directory and a log the test can read.</summary>
    internal static (ResourceCall Call, StringWriter Log) Call()
    {
        var log = new StringWriter();
        return (new ResourceCall(log, new Dictionary<string, string>(), Directory.CreateTempSubdirectory("ferry-npm-call-").FullName), log);
    }

    /// <summary>An artifacts root holding <c>app/</c>: a package.json and the given files.</summary>
    internal static string Artifacts(string name, string version, params (string Path, string Text)[] files)
    {
        var root = Directory.CreateTempSubdirectory("ferry-npm-artifacts-").FullName;
        var app = Path.Combine(root, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "package.json"), new JsonObject { ["name"] = name, ["version"] = version, ["description"] = "a test package" }.ToJsonString());
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(app, path))!);
            File.WriteAllText(Path.Combine(app, path), text);
        }
        return root;
    }

    /// <summary>Publishes <paramref name="version"/> of <paramref name="name"/> with <paramref name="tag"/> through the type's put.</summary>
    internal async Task<ResourceVersion> PublishAsync(string name, string version, string tag = "latest", TimeProvider? time = null, string index = "module.exports = 1;\n")
    {
        var type = new NpmResourceType(time ?? TimeProvider.System);
        var (call, _) = Call();
        return await type.PutAsync(call, Source(name), new JsonObject { ["publish"] = "app", ["tag"] = tag },
            Artifacts(name, version, ("index.js", index)), CancellationToken.None);
    }

    internal static string VersionOf(ResourceVersion version) => version.Version["version"];
}

/// <summary>A clock fixed at one moment: nightly versions carry the time.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
