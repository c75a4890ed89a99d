using System.Text.Json.Nodes;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.RegistryImage;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

/// <summary>Registries that want credentials: Basic (htpasswd) and a token realm (Bearer), as Docker Hub and most hosted registries do.</summary>
public sealed class RegistryImageAuthTests : IDisposable
{
    // bcrypt of "s3cret-pass" (cost 4): docker-registry's htpasswd accepts only bcrypt.
    private const string HtpasswdLine = "ferry:$2b$04$giR5jk7FI0BypDCNVbzjPecj9G2CtKx75yFHiyl9km0ruFkyYrCc.";

    private readonly RegistryImageResourceType _type = new();
    private readonly (ResourceCall Call, StringWriter Log, string Root) _call = RegistryFixture.Call();

    public void Dispose() => Directory.Delete(_call.Root, recursive: true);

    private string Artifacts(string layout)
    {
        var root = Directory.CreateDirectory(Path.Combine(_call.Root, "artifacts")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "image"), layout);
        return root;
    }

    private static JsonObject Source(LocalRegistry registry, string tag, string? password) =>
        new() { ["repository"] = $"{registry.Host}/private", ["tag"] = tag, ["username"] = "ferry", ["password"] = password };

    [RegistryFact]
    public async Task PutAndCheck_SendBasicCredentials_WhenRegistryAsksForThem()
    {
        var htpasswd = Path.Combine(_call.Root, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, HtpasswdLine + "\n");
        await using var registry = await LocalRegistry.StartAsync($"  htpasswd:\n    realm: ferry-test\n    path: {htpasswd}\n");
        using var images = new TestImages();
        images.Busybox("base");

        var pushed = await _type.PutAsync(_call.Call, Source(registry, "v1", "s3cret-pass"), new JsonObject { ["image"] = "image" }, Artifacts(images.Export("base")), CancellationToken.None);
        var checkedVersions = await _type.CheckAsync(_call.Call, Source(registry, "v1", "s3cret-pass"), null, CancellationToken.None);
        var refused = await Should.ThrowAsync<ResourceException>(() => _type.CheckAsync(_call.Call, Source(registry, "v1", "wrong"), null, CancellationToken.None));
        var anonymous = await Should.ThrowAsync<ResourceException>(() =>
            _type.CheckAsync(_call.Call, new JsonObject { ["repository"] = $"{registry.Host}/private", ["tag"] = "v1" }, null, CancellationToken.None));

        checkedVersions.Single().Version["digest"].ShouldBe(pushed.Version["digest"]);
        refused.IsRetryable.ShouldBeFalse();
        refused.Message.ShouldContain("UNAUTHORIZED");
        refused.Message.ShouldContain("check source.username and source.password");
        anonymous.Message.ShouldContain("asks for a username and password (set source.username and source.password)");
    }

    [RegistryFact]
    public async Task PutGetAndCheck_FetchABearerTokenFromTheRealm_WhenRegistryUsesTokenAuth()
    {
        using var tokens = new TokenServer(_call.Root, "ferry", "s3cret-pass");
        await using var registry = await LocalRegistry.StartAsync(tokens.AuthConfig);
        using var images = new TestImages();
        images.Busybox("base", new Dictionary<string, string> { ["etc/marker"] = "behind a token\n" });

        var pushed = await _type.PutAsync(_call.Call, Source(registry, "v1", "s3cret-pass"), new JsonObject { ["image"] = "image" }, Artifacts(images.Export("base")), CancellationToken.None);
        var version = (await _type.CheckAsync(_call.Call, Source(registry, "v1", "s3cret-pass"), null, CancellationToken.None)).Single();
        var directory = Directory.CreateDirectory(Path.Combine(_call.Root, "got")).FullName;
        await _type.GetAsync(_call.Call, Source(registry, "v1", "s3cret-pass"), version, [], directory, CancellationToken.None);
        var refused = await Should.ThrowAsync<ResourceException>(() => _type.CheckAsync(_call.Call, Source(registry, "v1", "wrong"), null, CancellationToken.None));

        version.Version["digest"].ShouldBe(pushed.Version["digest"]);
        File.ReadAllText(Path.Combine(directory, "rootfs", "etc", "marker")).ShouldBe("behind a token\n");
        tokens.Issued.ShouldBeGreaterThanOrEqualTo(3);
        refused.IsRetryable.ShouldBeFalse();
        refused.Message.ShouldContain($"token from http://127.0.0.1:{tokens.Port}/token");
        refused.Message.ShouldContain("UNAUTHORIZED: wrong username or password");
    }
}
