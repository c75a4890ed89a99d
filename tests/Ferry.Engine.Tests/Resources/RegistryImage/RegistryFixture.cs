using Ferry.Engine.Resources;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

/// <summary>
/// One registry and one image layout for a test class, with a busybox image <c>base</c> (a file /etc/marker only it
/// has, user 1000, FOO=bar) built once. Tests push to repositories of their own, so they do not see each other's.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private LocalRegistry? _registry;
    private TestImages? _images;

    internal LocalRegistry Registry => _registry ?? throw new InvalidOperationException("the registry did not start");

    internal TestImages Images => _images ?? throw new InvalidOperationException("the images were not built");

    public async Task InitializeAsync()
    {
        if (TestImages.SkipReason is not null)
            return;
        _registry = await LocalRegistry.StartAsync();
        _images = new TestImages();
        _images.Busybox("base", new Dictionary<string, string> { ["etc/marker"] = "only in this image\n" }, "1000", "FOO=bar");
    }

    public async Task DisposeAsync()
    {
        _images?.Dispose();
        if (_registry is not null)
            await _registry.DisposeAsync();
    }

    /// <summary>A call with its own cache directory and a log the test can read.</summary>
    internal static (ResourceCall Call, StringWriter Log, string Root) Call()
    {
        var root = Directory.CreateTempSubdirectory("ferry-registry-call-").FullName;
        var log = new StringWriter();
        return (new ResourceCall(log, new Dictionary<string, string>(), Path.Combine(root, "cache")), log, root);
    }
}
