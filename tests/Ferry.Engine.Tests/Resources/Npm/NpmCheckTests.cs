using Ferry.Core.Versions;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.Npm;
using Ferry.Tests.LocalServers;

namespace Ferry.Engine.Tests.Resources.Npm;

public sealed class NpmCheckTests(NpmFixture npm) : IClassFixture<NpmFixture>
{
    private readonly NpmResourceType _type = new(TimeProvider.System);

    private async Task<List<string>> CheckAsync(System.Text.Json.Nodes.JsonObject source, string? from = null)
    {
        var (call, _) = NpmFixture.Call();
        var versions = await _type.CheckAsync(call, source, from is null ? null : new ResourceVersion(new Dictionary<string, string> { ["version"] = from }), CancellationToken.None);
        return versions.Select(NpmFixture.VersionOf).ToList();
    }

    [VerdaccioFact]
    public async Task CheckAsync_ListsReleasesInPublishOrder_WhenNoTagOrRange()
    {
        var name = npm.NewName("all");
        foreach (var version in new[] { "1.0.0", "1.1.0", "1.0.1", "2.0.0-beta.1" })
            await npm.PublishAsync(name, version);

        (await CheckAsync(npm.Source(name))).ShouldBe(["1.0.1"]);
        (await CheckAsync(npm.Source(name), from: "1.0.0")).ShouldBe(["1.0.0", "1.1.0", "1.0.1"]);
        (await CheckAsync(npm.Source(name, prereleases: true), from: "1.1.0")).ShouldBe(["1.1.0", "1.0.1", "2.0.0-beta.1"]);
    }

    [VerdaccioFact]
    public async Task CheckAsync_ReportsVersionsInRange_WithNightliesOnlyWhenAsked()
    {
        var name = npm.NewName("range");
        foreach (var version in new[] { "1.9.0", "2.2.1", "2.2.2-c72a851-202403270931.0", "2.3.0", "3.0.0" })
            await npm.PublishAsync(name, version);

        (await CheckAsync(npm.Source(name, range: "^2.2.0"), from: "1.9.0")).ShouldBe(["2.3.0"]);
        (await CheckAsync(npm.Source(name, range: "^2.2.0"), from: "2.2.1")).ShouldBe(["2.2.1", "2.3.0"]);
        (await CheckAsync(npm.Source(name, range: ">=2.2.2 <3", prereleases: true), from: "2.2.2-c72a851-202403270931.0"))
            .ShouldBe(["2.2.2-c72a851-202403270931.0", "2.3.0"]);
    }

    [VerdaccioFact]
    public async Task CheckAsync_RecordsEachTarget_WhenDistTagMoves()
    {
        var name = npm.NewName("tagged");
        await npm.PublishAsync(name, "1.0.0");
        await npm.PublishAsync(name, "1.0.1-aaaaaaa-202401010000.0", tag: "nightly");
        var first = await _type.CheckAsync(NpmFixture.Call().Call, npm.Source(name, tag: "nightly"), null, CancellationToken.None);
        first.Select(NpmFixture.VersionOf).ShouldBe(["1.0.1-aaaaaaa-202401010000.0"]);
        first[0].Metadata.ShouldContain(new MetadataField("dist_tags", "nightly"));
        first[0].Metadata.Select(m => m.Name).ShouldBe(["published", "dist_tags", "shasum"]);

        (await CheckAsync(npm.Source(name, tag: "nightly"), from: "1.0.1-aaaaaaa-202401010000.0")).ShouldBe(["1.0.1-aaaaaaa-202401010000.0"]);
        await npm.PublishAsync(name, "1.0.1-bbbbbbb-202401020000.0", tag: "nightly");

        (await CheckAsync(npm.Source(name, tag: "nightly"), from: "1.0.1-aaaaaaa-202401010000.0"))
            .ShouldBe(["1.0.1-aaaaaaa-202401010000.0", "1.0.1-bbbbbbb-202401020000.0"]);
        (await CheckAsync(npm.Source(name, tag: "latest"))).ShouldBe(["1.0.0"]);
    }

    [VerdaccioFact]
    public async Task CheckAsync_ReadsScopedPackage_OnlyWithToken_WhenScopeIsPrivate()
    {
        var name = npm.NewName("secret", scope: "private");
        await npm.PublishAsync(name, "0.1.0");
        (await CheckAsync(npm.Source(name))).ShouldBe(["0.1.0"]);

        var source = npm.Source(name);
        source.Remove("token");
        var error = await Should.ThrowAsync<ResourceException>(() => CheckAsync(source));
        error.Message.ShouldContain($"reading {name} on {npm.Registry.Url}: the registry answered 401 Unauthorized");
        error.Message.ShouldContain("check source.token");
        error.IsRetryable.ShouldBeFalse();
    }

    [VerdaccioFact]
    public async Task CheckAsync_NamesTheTagsThereAre_WhenTagMissing()
    {
        var name = npm.NewName("untagged");
        await npm.PublishAsync(name, "1.0.0");
        var error = await Should.ThrowAsync<ResourceException>(() => CheckAsync(npm.Source(name, tag: "nightly")));
        error.Message.ShouldBe($"checking {name} on {npm.Registry.Url}: {name} has no dist-tag 'nightly' (dist-tags: latest)");
    }

    [VerdaccioFact]
    public async Task CheckAsync_FailsRetryably_WhenRegistryDownOrPackageMissing()
    {
        var down = npm.Source("@acme/anything");
        down["registry"] = $"http://127.0.0.1:{LocalServerProcess.FreePort()}/";
        var error = await Should.ThrowAsync<ResourceException>(() => CheckAsync(down));
        error.Message.ShouldStartWith($"reading @acme/anything on {down["registry"]}: cannot reach the registry http://127.0.0.1:");
        error.IsRetryable.ShouldBeTrue();

        var missing = await Should.ThrowAsync<ResourceException>(() => CheckAsync(npm.Source("@acme/never-published")));
        missing.Message.ShouldContain("package @acme/never-published not found (not published yet?)");
    }

    [Fact]
    public void Parse_NamesTheField_WhenSourceIsBad()
    {
        Should.Throw<ResourceConfigException>(() => NpmSource.Parse(new() { ["package"] = "Not A Name" })).Message.ShouldContain("source.package: 'Not A Name' is not an npm package name");
        Should.Throw<ResourceConfigException>(() => NpmSource.Parse(new() { ["package"] = "a", ["range"] = "^1 ||" })).Message.ShouldStartWith("source.range:");
        Should.Throw<ResourceConfigException>(() => NpmSource.Parse(new() { ["package"] = "a", ["tag"] = "x", ["range"] = "^1" })).Message.ShouldStartWith("source.range: cannot be combined");
        Should.Throw<ResourceConfigException>(() => NpmSource.Parse(new() { ["package"] = "a", ["registry"] = "ftp://x" })).Message.ShouldStartWith("source.registry:");
        NpmSource.Parse(new() { ["package"] = "@flowfuse/app" }).Registry.ToString().ShouldBe("https://registry.npmjs.org/");
    }
}
