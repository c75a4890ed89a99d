using Ferry.Tests.LocalServers;
using System.Text.Json.Nodes;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.RegistryImage;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

public sealed class RegistryImageCheckTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly RegistryImageResourceType _type = new();
    private readonly (ResourceCall Call, StringWriter Log, string Root) _call = RegistryFixture.Call();

    public void Dispose() => Directory.Delete(_call.Root, recursive: true);

    private Task<IReadOnlyList<Ferry.Core.Versions.ResourceVersion>> CheckAsync(JsonObject source, Ferry.Core.Versions.ResourceVersion? from = null) =>
        _type.CheckAsync(_call.Call, source, from, CancellationToken.None);

    [RegistryFact]
    public async Task CheckAsync_ReportsTheTagsDigestThenFollowsANewPush_WhenTagGiven()
    {
        var registry = fixture.Registry;
        fixture.Images.Push("base", registry, "follow", "stable");
        var first = await registry.DigestAsync("follow", "stable");

        var before = await CheckAsync(registry.Source("follow", "stable"));

        before.Select(v => v.Version["digest"]).ShouldBe([first]);
        before[0].Version["tag"].ShouldBe("stable");
        fixture.Images.Change("base", "follow-2", rootfs => TestImages.Write(rootfs, "etc/second", "2"));
        fixture.Images.Push("follow-2", registry, "follow", "stable");
        var second = await registry.DigestAsync("follow", "stable");
        second.ShouldNotBe(first);

        var after = await CheckAsync(registry.Source("follow", "stable"), before[0]);

        after.Select(v => v.Version["digest"]).ShouldBe([first, second]);
    }

    [RegistryFact]
    public async Task CheckAsync_ReportsNothing_WhenTheTagIsNotPushedYet()
    {
        fixture.Images.Push("base", fixture.Registry, "early", "other");

        (await CheckAsync(fixture.Registry.Source("early", "stable"))).ShouldBeEmpty();
    }

    [RegistryFact]
    public async Task CheckAsync_ListsSemverTagsInOrderOnceEach_WhenNoTagGiven()
    {
        var registry = fixture.Registry;
        fixture.Images.Change("base", "semver-2", rootfs => TestImages.Write(rootfs, "etc/v", "2"));
        fixture.Images.Change("base", "semver-3", rootfs => TestImages.Write(rootfs, "etc/v", "3"));
        fixture.Images.Change("base", "semver-rc", rootfs => TestImages.Write(rootfs, "etc/v", "rc"));
        fixture.Images.Push("base", registry, "semver", "1.0.0");
        fixture.Images.Push("semver-2", registry, "semver", "1.2.0");
        fixture.Images.Push("semver-2", registry, "semver", "1.2");
        fixture.Images.Push("semver-3", registry, "semver", "2.0.0");
        fixture.Images.Push("semver-rc", registry, "semver", "2.1.0-rc.1");
        fixture.Images.Push("semver-rc", registry, "semver", "latest");
        fixture.Images.Push("semver-3", registry, "semver", "2.0.0-alpine");

        var all = await CheckAsync(registry.Source("semver"));
        var constrained = await CheckAsync(new JsonObject { ["repository"] = $"{registry.Host}/semver", ["semver_constraint"] = "~1.2" });
        var pre = await CheckAsync(new JsonObject { ["repository"] = $"{registry.Host}/semver", ["pre_releases"] = true });
        var variant = await CheckAsync(new JsonObject { ["repository"] = $"{registry.Host}/semver", ["variant"] = "alpine" });

        // 1.2 is an alias of 1.2.0 (same digest): reported once, by the more specific tag; latest's digest is no semver tag's.
        all.Select(v => v.Version["tag"]).ShouldBe(["1.0.0", "1.2.0", "2.0.0", "latest"]);
        all[1].Version["digest"].ShouldBe(await registry.DigestAsync("semver", "1.2"));
        constrained.Select(v => v.Version["tag"]).ShouldBe(["1.2.0"]);
        pre.Select(v => v.Version["tag"]).ShouldBe(["1.0.0", "1.2.0", "2.0.0", "2.1.0-rc.1"]);
        variant.Select(v => v.Version["tag"]).ShouldBe(["2.0.0-alpine"]);
    }

    [RegistryFact]
    public async Task CheckAsync_ListsMatchingTags_WhenTagRegexGiven()
    {
        var registry = fixture.Registry;
        fixture.Images.Push("base", registry, "regex", "build-1");
        fixture.Images.Push("base", registry, "regex", "build-2");
        fixture.Images.Push("base", registry, "regex", "release");

        var versions = await CheckAsync(new JsonObject { ["repository"] = $"{registry.Host}/regex", ["tag_regex"] = "^build-[0-9]+$" });

        versions.Select(v => v.Version["tag"]).Order().ShouldBe(["build-1", "build-2"]);
    }

    [RegistryFact]
    public async Task CheckAsync_FailsTerminallyWithTheRegistrysError_WhenRepositoryDoesNotExist()
    {
        var error = await Should.ThrowAsync<ResourceException>(() => CheckAsync(fixture.Registry.Source("no-such-repository", "latest")));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldContain("NAME_UNKNOWN: repository name not known to registry");
        error.Message.ShouldContain($"{fixture.Registry.Host}/no-such-repository");
    }

    [RegistryFact]
    public async Task CheckAsync_FailsRetryably_WhenNothingListensThere()
    {
        var port = LocalServerProcess.FreePort();

        var error = await Should.ThrowAsync<ResourceException>(() => CheckAsync(new JsonObject { ["repository"] = $"127.0.0.1:{port}/app", ["tag"] = "latest" }));

        error.IsRetryable.ShouldBeTrue();
        error.Message.ShouldContain($"http://127.0.0.1:{port}/v2/app/manifests/latest");
    }
}
