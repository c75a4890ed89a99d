using System.Text.Json.Nodes;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.RegistryImage;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

public sealed class RegistryImagePutTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly RegistryImageResourceType _type = new();
    private readonly (ResourceCall Call, StringWriter Log, string Root) _call = RegistryFixture.Call();

    public void Dispose() => Directory.Delete(_call.Root, recursive: true);

    /// <summary>The build's artifacts: <c>image/</c> holding the layout (or tarball) and <c>meta/tags</c>.</summary>
    private string Artifacts(string imageDirectory, string? tags = null)
    {
        var root = Directory.CreateDirectory(Path.Combine(_call.Root, "artifacts-" + Guid.NewGuid().ToString("N"))).FullName;
        Directory.CreateSymbolicLink(Path.Combine(root, "image"), imageDirectory);
        if (tags is not null)
            TestImages.Write(Path.Combine(root, "meta"), "tags", tags);
        return root;
    }

    [RegistryFact]
    public async Task PutAsync_PushesTheLayoutUnderTheSourceTagAndAdditionalTags_WhenRepositoryIsNew()
    {
        var layout = fixture.Images.Export("base");
        var artifacts = Artifacts(layout, "extra\n  more ");

        var pushed = await _type.PutAsync(_call.Call, fixture.Registry.Source("pushed", "v1"),
            new JsonObject { ["image"] = "image", ["additional_tags"] = "meta/tags" }, artifacts, CancellationToken.None);

        (await fixture.Registry.TagsAsync("pushed")).Order().ShouldBe(["extra", "more", "v1"]);
        var digest = await fixture.Registry.DigestAsync("pushed", "v1");
        pushed.Version["digest"].ShouldBe(digest);
        pushed.Version["tag"].ShouldBe("v1");
        (await fixture.Registry.DigestAsync("pushed", "more")).ShouldBe(digest);
        TestImages.Run("skopeo", "inspect", "--format", "{{.Digest}}", $"oci:{layout}:base").Trim().ShouldBe(digest);
        var check = await _type.CheckAsync(_call.Call, fixture.Registry.Source("pushed", "extra"), null, CancellationToken.None);
        check.Single().Version["digest"].ShouldBe(digest);
    }

    [RegistryFact]
    public async Task PutAsync_OnlyTagsWithoutPushingLayers_WhenTheRegistryHasTheDigest()
    {
        var layout = fixture.Images.Export("base");
        var source = fixture.Registry.Source("retag", "first");
        await _type.PutAsync(_call.Call, source, new JsonObject { ["image"] = "image" }, Artifacts(layout), CancellationToken.None);
        var uploads = await fixture.Registry.SettledAsync(() => fixture.Registry.Requests("POST", "/retag/blobs/uploads/"));
        var blobHeads = fixture.Registry.Requests("HEAD", "/retag/blobs/");
        uploads.ShouldBeGreaterThan(0);
        var logged = _call.Log.ToString().Length;

        var retagged = await _type.PutAsync(_call.Call, fixture.Registry.Source("retag", "second"), new JsonObject { ["image"] = "image" }, Artifacts(layout), CancellationToken.None);

        (await fixture.Registry.SettledAsync(() => fixture.Registry.Requests("POST", "/retag/blobs/uploads/"))).ShouldBe(uploads);
        fixture.Registry.Requests("HEAD", "/retag/blobs/").ShouldBe(blobHeads);
        _call.Log.ToString()[logged..].ShouldContain("without pushing layers");
        (await fixture.Registry.DigestAsync("retag", "second")).ShouldBe(retagged.Version["digest"]);
        (await fixture.Registry.DigestAsync("retag", "first")).ShouldBe(retagged.Version["digest"]);
    }

    [RegistryFact]
    public async Task PutAsync_PushesAnImageTarballAGetWrote_WhenImageIsAGlob()
    {
        fixture.Images.Push("base", fixture.Registry, "from-get", "v1");
        var getSource = fixture.Registry.Source("from-get", "v1");
        var version = (await _type.CheckAsync(_call.Call, getSource, null, CancellationToken.None)).Single();
        var fetched = Directory.CreateDirectory(Path.Combine(_call.Root, "fetched")).FullName;
        await _type.GetAsync(_call.Call, getSource, version, new JsonObject { ["format"] = "oci" }, fetched, CancellationToken.None);

        var pushed = await _type.PutAsync(_call.Call, fixture.Registry.Source("copy-of-get"),
            new JsonObject { ["image"] = "image/*.tar", ["version"] = "v1.2.3" }, Artifacts(fetched), CancellationToken.None);

        pushed.Version["tag"].ShouldBe("1.2.3");
        pushed.Version["digest"].ShouldBe(version.Version["digest"]);
        (await fixture.Registry.TagsAsync("copy-of-get")).ShouldBe(["1.2.3"]);
    }

    [RegistryFact]
    public async Task PutAsync_FailsNamingTheField_WhenNoTagIsGiven()
    {
        var error = await Should.ThrowAsync<ResourceConfigException>(() => _type.PutAsync(_call.Call, fixture.Registry.Source("untagged"),
            new JsonObject { ["image"] = "image" }, Artifacts(fixture.Images.Export("base")), CancellationToken.None));

        error.Message.ShouldBe("registry-image put: no tag to push: give source.tag, params.version or params.additional_tags");
    }

    [RegistryFact]
    public async Task PutAsync_FailsNamingThePattern_WhenImageMatchesNothing()
    {
        var error = await Should.ThrowAsync<ResourceConfigException>(() => _type.PutAsync(_call.Call, fixture.Registry.Source("nothing", "v1"),
            new JsonObject { ["image"] = "image/*.tar" }, Artifacts(fixture.Images.Export("base")), CancellationToken.None));

        error.Message.ShouldBe("params.image: nothing in the build's artifacts matches 'image/*.tar'");
    }
}
