using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.RegistryImage;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

public sealed class RegistryImageGetTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly RegistryImageResourceType _type = new();
    private readonly (ResourceCall Call, StringWriter Log, string Root) _call = RegistryFixture.Call();

    public void Dispose() => Directory.Delete(_call.Root, recursive: true);

    private string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(_call.Root, name)).FullName;

    private async Task<ResourceVersion> LatestAsync(JsonObject source) =>
        (await _type.CheckAsync(_call.Call, source, null, CancellationToken.None)).Last();

    [RegistryFact]
    public async Task GetAsync_UnpacksRootfsWithMetadata_WhenFormatIsDefault()
    {
        fixture.Images.Push("base", fixture.Registry, "rootfs", "v1");
        var source = fixture.Registry.Source("rootfs", "v1");
        var version = await LatestAsync(source);
        var directory = NewDirectory("image");

        var got = await _type.GetAsync(_call.Call, source, version, [], directory, CancellationToken.None);

        File.ReadAllText(Path.Combine(directory, "rootfs", "etc", "marker")).ShouldBe("only in this image\n");
        new FileInfo(Path.Combine(directory, "rootfs", "bin", "sh")).LinkTarget.ShouldBe("busybox");
        File.ReadAllText(Path.Combine(directory, "digest")).ShouldBe(version.Version["digest"]);
        File.ReadAllText(Path.Combine(directory, "tag")).ShouldBe("v1");
        File.ReadAllText(Path.Combine(directory, "repository")).ShouldBe($"{fixture.Registry.Host}/rootfs");
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "metadata.json")))!;
        metadata["user"]!.GetValue<string>().ShouldBe("1000");
        metadata["env"]!.AsArray().Select(e => (string)e!).ShouldContain("FOO=bar");
        got.Version.ShouldBe(version.Version);
        got.Metadata.ShouldContain(new MetadataField("tag", "v1"));
    }

    [RegistryFact]
    public async Task GetAsync_RemovesWhatALaterLayerDeleted_WhenImageHasWhiteouts()
    {
        fixture.Images.Change("base", "whiteout", rootfs =>
        {
            File.Delete(Path.Combine(rootfs, "etc", "marker"));
            TestImages.Write(rootfs, "etc/added", "by the second layer");
        });
        fixture.Images.Push("whiteout", fixture.Registry, "whiteout", "v2");
        var source = fixture.Registry.Source("whiteout", "v2");
        var directory = NewDirectory("image");

        await _type.GetAsync(_call.Call, source, await LatestAsync(source), [], directory, CancellationToken.None);

        File.Exists(Path.Combine(directory, "rootfs", "etc", "marker")).ShouldBeFalse();
        File.ReadAllText(Path.Combine(directory, "rootfs", "etc", "added")).ShouldBe("by the second layer");
        Directory.EnumerateFileSystemEntries(directory, ".wh.*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [RegistryFact]
    public async Task GetAsync_WritesAnOciLayoutTarballSkopeoReads_WhenFormatIsOci()
    {
        fixture.Images.Push("base", fixture.Registry, "oci", "v1");
        var source = fixture.Registry.Source("oci", "v1");
        var version = await LatestAsync(source);
        var directory = NewDirectory("image");

        await _type.GetAsync(_call.Call, source, version, new JsonObject { ["format"] = "oci" }, directory, CancellationToken.None);

        var tarball = Path.Combine(directory, "image.tar");
        Directory.Exists(Path.Combine(directory, "rootfs")).ShouldBeFalse();
        var asOci = JsonNode.Parse(TestImages.Run("skopeo", "inspect", "--raw", $"oci-archive:{tarball}"))!;
        var copied = Path.Combine(_call.Root, "copied");
        TestImages.Run("skopeo", "copy", "--quiet", $"oci-archive:{tarball}", $"oci:{copied}:v1");
        var asDocker = JsonNode.Parse(TestImages.Run("skopeo", "inspect", "--config", $"docker-archive:{tarball}"))!;
        // The same manifest bytes as the registry's, so the same digest; and the docker view reads the same config.
        asOci["layers"]!.AsArray().Count.ShouldBe(1);
        TestImages.Run("skopeo", "inspect", "--format", "{{.Digest}}", $"oci:{copied}:v1").Trim().ShouldBe(version.Version["digest"]);
        asDocker["config"]!["User"]!.GetValue<string>().ShouldBe("1000");
    }

    [RegistryFact]
    public async Task GetAsync_ReusesCachedLayers_WhenTheImageIsFetchedAgain()
    {
        fixture.Images.Push("base", fixture.Registry, "cached", "v1");
        var source = fixture.Registry.Source("cached", "v1");
        var version = await LatestAsync(source);
        await _type.GetAsync(_call.Call, source, version, [], NewDirectory("first"), CancellationToken.None);
        var first = _call.Log.ToString();
        var blobGets = await fixture.Registry.SettledAsync(() => fixture.Registry.Requests("GET", "/cached/blobs/"));

        await _type.GetAsync(_call.Call, source, version, [], NewDirectory("second"), CancellationToken.None);

        var second = _call.Log.ToString()[first.Length..];
        first.ShouldContain(" downloaded (");
        second.ShouldContain(" cached (");
        second.ShouldNotContain(" downloaded (");
        (await fixture.Registry.SettledAsync(() => fixture.Registry.Requests("GET", "/cached/blobs/"))).ShouldBe(blobGets);
        File.Exists(Path.Combine(_call.Root, "second", "rootfs", "etc", "marker")).ShouldBeTrue();
    }

    [RegistryFact]
    public async Task GetAsync_WritesOnlyTheVersionFiles_WhenSkipDownload()
    {
        fixture.Images.Push("base", fixture.Registry, "skip", "v1");
        var source = fixture.Registry.Source("skip", "v1");
        var directory = NewDirectory("image");

        await _type.GetAsync(_call.Call, source, await LatestAsync(source), new JsonObject { ["skip_download"] = true }, directory, CancellationToken.None);

        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order().ShouldBe(["digest", "repository", "tag"]);
    }
}
