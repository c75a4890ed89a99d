using System.Text;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.RegistryImage;
using Ferry.Tests.LocalServers;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

/// <summary>
/// What a pipeline that builds and ships images meets when something is wrong: a registry that is down, credentials it
/// refuses, a digest it does not have, a manifest that is no image. Each is one clear error naming the thing, and a
/// put that fails leaves no tag behind. Also the labels a put and a get record: the version an image was built from.
/// </summary>
public sealed class RegistryImageBadInputTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly RegistryImageResourceType _type = new();
    private readonly (ResourceCall Call, StringWriter Log, string Root) _call = RegistryFixture.Call();

    public void Dispose() => Directory.Delete(_call.Root, recursive: true);

    private string Artifacts(string imageDirectory)
    {
        var root = Directory.CreateDirectory(Path.Combine(_call.Root, "artifacts-" + Guid.NewGuid().ToString("N"))).FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "image"), imageDirectory);
        return root;
    }

    [RegistryFact]
    public async Task PutAsync_RecordsTheImagesLabelsAsMetadata_WhenTheImageHasLabels()
    {
        fixture.Images.Change("base", "labelled", _ => { });
        TestImages.Run("umoci", "config", "--image", $"{fixture.Images.Layout}:labelled",
            "--config.label", "org.opencontainers.image.version=1.0.1-c72a851-202612042231.0", "--config.label", "org.opencontainers.image.title=train-app");

        var pushed = await _type.PutAsync(_call.Call, fixture.Registry.Source("labelled", "nightly"), new JsonObject { ["image"] = "image" },
            Artifacts(fixture.Images.Export("labelled")), CancellationToken.None);
        var got = await _type.GetAsync(_call.Call, fixture.Registry.Source("labelled", "nightly"), pushed, new JsonObject { ["skip_download"] = false },
            Directory.CreateDirectory(Path.Combine(_call.Root, "got")).FullName, CancellationToken.None);

        pushed.Metadata.ShouldContain(new MetadataField("org.opencontainers.image.version", "1.0.1-c72a851-202612042231.0"));
        pushed.Metadata.ShouldContain(new MetadataField("org.opencontainers.image.title", "train-app"));
        got.Metadata.ShouldContain(new MetadataField("org.opencontainers.image.version", "1.0.1-c72a851-202612042231.0"));
    }

    [RegistryFact]
    public async Task PutAsync_FailsRetryablyNamingTheRegistry_WhenNothingListensThere()
    {
        var port = LocalServerProcess.FreePort();

        var error = await Should.ThrowAsync<ResourceException>(() => _type.PutAsync(_call.Call,
            new JsonObject { ["repository"] = $"127.0.0.1:{port}/app", ["tag"] = "v1" }, new JsonObject { ["image"] = "image" },
            Artifacts(fixture.Images.Export("base")), CancellationToken.None));

        error.IsRetryable.ShouldBeTrue();
        error.Message.ShouldContain($"registry-image: 127.0.0.1:{port}/app");
        error.Message.ShouldContain("Connection refused");
    }

    [RegistryFact]
    public async Task PutAsync_FailsTerminallyAndTagsNothing_WhenTheRegistryRefusesTheCredentials()
    {
        var htpasswd = Path.Combine(_call.Root, "htpasswd");
        // bcrypt of "s3cret-pass" (cost 4): docker-registry's htpasswd accepts only bcrypt.
        await File.WriteAllTextAsync(htpasswd, "ferry:$2b$04$giR5jk7FI0BypDCNVbzjPecj9G2CtKx75yFHiyl9km0ruFkyYrCc.\n");
        await using var registry = await LocalRegistry.StartAsync($"  htpasswd:\n    realm: ferry-test\n    path: {htpasswd}\n");
        var source = new JsonObject { ["repository"] = $"{registry.Host}/private", ["tag"] = "v1", ["username"] = "ferry", ["password"] = "wrong" };

        var error = await Should.ThrowAsync<ResourceException>(() => _type.PutAsync(_call.Call, source, new JsonObject { ["image"] = "image" },
            Artifacts(fixture.Images.Export("base")), CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldContain($"registry-image: {registry.Host}/private");
        error.Message.ShouldContain("UNAUTHORIZED");
        error.Message.ShouldContain("check source.username and source.password");
        source["password"] = "s3cret-pass";
        (await Should.ThrowAsync<ResourceException>(() => _type.CheckAsync(_call.Call, source, null, CancellationToken.None)))
            .Message.ShouldContain("NAME_UNKNOWN", customMessage: "the refused put made not even the repository");
    }

    [RegistryFact]
    public async Task GetAsync_FailsTerminallyWithManifestUnknown_WhenTheDigestIsNotInTheRepository()
    {
        fixture.Images.Push("base", fixture.Registry, "gone", "v1");
        var missing = "sha256:" + new string('0', 64);

        var error = await Should.ThrowAsync<ResourceException>(() => _type.GetAsync(_call.Call, fixture.Registry.Source("gone", "v1"),
            RegistryImageCheck.Version("v1", missing), [], Directory.CreateDirectory(Path.Combine(_call.Root, "got")).FullName, CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldBe($"registry-image: {fixture.Registry.Host}/gone: MANIFEST_UNKNOWN: no manifest {missing}");
    }

    [RegistryFact]
    public async Task PutAsync_RefusesNamingTheManifestType_AndPushesNothing_WhenTheLayoutHoldsNoImage()
    {
        var layout = ArtifactLayout("application/vnd.docker.distribution.manifest.v1+prettyjws", "application/vnd.oci.image.config.v1+json");

        var error = await Should.ThrowAsync<ResourceException>(() => _type.PutAsync(_call.Call, fixture.Registry.Source("schema1", "v1"),
            new JsonObject { ["image"] = "image" }, Artifacts(layout), CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldContain("registry-image put: 'image': sha256:");
        error.Message.ShouldContain("is a manifest of type 'application/vnd.docker.distribution.manifest.v1+prettyjws', which registry-image does not understand");
        (await fixture.Registry.SettledAsync(() => new[] { "HEAD", "POST", "PUT" }.Sum(m => fixture.Registry.Requests(m, "/schema1/"))))
            .ShouldBe(0, "nothing was sent");
    }

    [RegistryFact]
    public async Task GetAsync_RefusesNamingTheArtifactType_WhenTheDigestIsNoContainerImage()
    {
        // A Helm chart in the registry: an OCI manifest whose config is no image config. Pushed as any client would.
        var layout = ArtifactLayout(OciMediaTypes.Manifest, "application/vnd.cncf.helm.config.v1+json");
        var client = new RegistryClient(RegistryImageSource.Parse(fixture.Registry.Source("chart")), push: true);
        var manifest = File.ReadAllBytes(Path.Combine(layout, "manifest.json"));
        foreach (var blob in Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Where(f => Path.GetFileName(f) != Digests.Of(manifest)[7..]))
            await client.UploadBlobAsync("sha256:" + Path.GetFileName(blob), blob, CancellationToken.None);
        await client.PutManifestAsync("1.0.0", new Manifest(manifest, OciMediaTypes.Manifest, Digests.Of(manifest)), CancellationToken.None);
        var version = (await _type.CheckAsync(_call.Call, fixture.Registry.Source("chart", "1.0.0"), null, CancellationToken.None)).Single();

        var error = await Should.ThrowAsync<ResourceException>(() => _type.GetAsync(_call.Call, fixture.Registry.Source("chart", "1.0.0"), version, [],
            Directory.CreateDirectory(Path.Combine(_call.Root, "got")).FullName, CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldBe($"registry-image: {fixture.Registry.Host}/chart: {version.Version["digest"]} is an artifact of type " +
                               "'application/vnd.cncf.helm.config.v1+json', not a container image (it reads OCI image manifests and indexes, Docker v2 " +
                               "manifests and manifest lists whose config is an image config)");
    }

    /// <summary>An OCI layout whose one manifest has the given media type and config type, with one layer.</summary>
    private string ArtifactLayout(string manifestType, string configType)
    {
        var root = Directory.CreateDirectory(Path.Combine(_call.Root, "layout-" + Guid.NewGuid().ToString("N"))).FullName;
        var blobs = Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256")).FullName;
        JsonObject Blob(byte[] content, string mediaType)
        {
            var digest = Digests.Of(content);
            File.WriteAllBytes(Path.Combine(blobs, digest[7..]), content);
            return new JsonObject { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = content.Length };
        }
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = manifestType,
            ["config"] = Blob(Encoding.UTF8.GetBytes("""{"name":"chart","version":"1.0.0"}"""), configType),
            ["layers"] = new JsonArray(Blob(Encoding.UTF8.GetBytes("not a tarball"), "application/vnd.cncf.helm.chart.content.v1.tar+gzip")),
        };
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        File.WriteAllBytes(Path.Combine(root, "manifest.json"), bytes);
        var descriptor = Blob(bytes, manifestType);
        File.WriteAllText(Path.Combine(root, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(root, "index.json"), new JsonObject { ["schemaVersion"] = 2, ["manifests"] = new JsonArray(descriptor) }.ToJsonString());
        return root;
    }
}
