using System.Text.Json.Nodes;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.Npm;
using Ferry.Tests.LocalServers;

namespace Ferry.Engine.Tests.Resources.Npm;

public sealed class NpmPutTests(NpmFixture npm) : IClassFixture<NpmFixture>
{
    private static readonly DateTimeOffset March27 = new(2024, 3, 27, 9, 31, 42, TimeSpan.Zero);

    private static Task<Core.Versions.ResourceVersion> PutAsync(JsonObject source, JsonObject @params, string artifacts, TimeProvider? time = null) =>
        new NpmResourceType(time ?? TimeProvider.System).PutAsync(NpmFixture.Call().Call, source, @params, artifacts, CancellationToken.None);

    [VerdaccioFact]
    public async Task PutAsync_PublishesNightlyWithTag_WhenPrereleaseCommitNamesGitDirectory()
    {
        var name = npm.NewName("nightly");
        await npm.PublishAsync(name, "2.2.1");
        var artifacts = NpmFixture.Artifacts(name, "2.2.1", ("index.js", "module.exports = 'nightly';\n"));
        Directory.CreateDirectory(Path.Combine(artifacts, "repo", ".git"));
        await File.WriteAllTextAsync(Path.Combine(artifacts, "repo", ".git", "ref"), "c72a851d0e6f4c7a8e2b1f0a9d8c7b6a5f4e3d2c\n");

        var result = await PutAsync(npm.Source(name), new JsonObject { ["publish"] = "app", ["tag"] = "nightly", ["prerelease_commit"] = "repo" },
            artifacts, new FixedClock(March27));

        result.Version["version"].ShouldBe("2.2.2-c72a851-202403270931.0");
        (await npm.Registry.DistTagsAsync(name)).ShouldBe(new Dictionary<string, string> { ["latest"] = "2.2.1", ["nightly"] = "2.2.2-c72a851-202403270931.0" }, ignoreOrder: true);
        var directory = Directory.CreateTempSubdirectory("ferry-npm-get-").FullName;
        await new NpmResourceType(TimeProvider.System).GetAsync(NpmFixture.Call().Call, npm.Source(name), result, [], directory, CancellationToken.None);
        File.ReadAllText(Path.Combine(directory, "package", "index.js")).ShouldBe("module.exports = 'nightly';\n");
        JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "package", "package.json")))!["version"]!.GetValue<string>().ShouldBe("2.2.2-c72a851-202403270931.0");
    }

    [VerdaccioFact]
    public async Task PutAsync_StampsFromCommitFile_AndKeepsPrereleaseCore()
    {
        var name = npm.NewName("stamp");
        var artifacts = NpmFixture.Artifacts(name, "3.0.0-beta.2");
        await File.WriteAllTextAsync(Path.Combine(artifacts, "commit"), "0123456789abcdef\n");

        var result = await PutAsync(npm.Source(name, tag: "nightly"), new JsonObject { ["publish"] = "app", ["prerelease_commit"] = "commit" },
            artifacts, new FixedClock(March27));

        result.Version["version"].ShouldBe("3.0.0-0123456-202403270931.0");
        (await npm.Registry.DistTagsAsync(name))["nightly"].ShouldBe("3.0.0-0123456-202403270931.0");
    }

    [VerdaccioFact]
    public async Task PutAsync_MovesTagWithoutRepublishing_WhenFromTagOrVersionFileGiven()
    {
        var name = npm.NewName("move");
        await npm.PublishAsync(name, "1.0.0");
        await npm.PublishAsync(name, "1.0.1-abcdef0-202401010000.0", tag: "nightly");
        var tarball = npm.Registry.TarballFile(name, "1.0.1-abcdef0-202401010000.0");
        var bytes = await File.ReadAllBytesAsync(tarball);
        var written = File.GetLastWriteTimeUtc(tarball);
        var published = (await npm.Registry.PackumentAsync(name))!["time"]!["1.0.1-abcdef0-202401010000.0"]!.GetValue<string>();

        var moved = await PutAsync(npm.Source(name), new JsonObject { ["tag"] = "latest", ["from_tag"] = "nightly" }, NpmFixture.Artifacts(name, "0.0.0"));

        moved.Version["version"].ShouldBe("1.0.1-abcdef0-202401010000.0");
        moved.Metadata.ShouldContain(new Core.Versions.MetadataField("dist_tags", "latest, nightly"));
        (await npm.Registry.DistTagsAsync(name))["latest"].ShouldBe("1.0.1-abcdef0-202401010000.0");
        (await File.ReadAllBytesAsync(tarball)).ShouldBe(bytes);
        File.GetLastWriteTimeUtc(tarball).ShouldBe(written);
        (await npm.Registry.PackumentAsync(name))!["time"]!["1.0.1-abcdef0-202401010000.0"]!.GetValue<string>().ShouldBe(published);

        var artifacts = NpmFixture.Artifacts(name, "0.0.0");
        Directory.CreateDirectory(Path.Combine(artifacts, "pkg"));
        await File.WriteAllTextAsync(Path.Combine(artifacts, "pkg", "version"), "1.0.0");
        await PutAsync(npm.Source(name, tag: "latest"), new JsonObject { ["version_file"] = "pkg/version" }, artifacts);
        (await npm.Registry.DistTagsAsync(name))["latest"].ShouldBe("1.0.0");
    }

    [VerdaccioFact]
    public async Task PutAsync_LeavesEveryTag_WhenPublishFails()
    {
        var name = npm.NewName("failing");
        await npm.PublishAsync(name, "1.0.0");
        await npm.PublishAsync(name, "1.1.0-abcdef0-202401010000.0", tag: "nightly");
        var before = await npm.Registry.DistTagsAsync(name);

        // The registry refuses: a token it does not know.
        var refused = await Should.ThrowAsync<ResourceException>(() =>
            PutAsync(npm.Source(name, token: "not-a-token"), new JsonObject { ["publish"] = "app", ["tag"] = "nightly" }, NpmFixture.Artifacts(name, "1.2.0")));
        refused.Message.ShouldStartWith($"publishing {name}@1.2.0 with dist-tag 'nightly' to {npm.Registry.Url}: the registry answered 401 Unauthorized");
        // A version that exists already.
        var again = await Should.ThrowAsync<ResourceException>(() =>
            PutAsync(npm.Source(name), new JsonObject { ["publish"] = "app", ["tag"] = "nightly" }, NpmFixture.Artifacts(name, "1.0.0")));
        again.Message.ShouldContain("version 1.0.0 is already published (a version is published once; nothing published, dist-tags unchanged)");
        // Moving a tag to a version that does not exist.
        var missing = await Should.ThrowAsync<ResourceException>(() =>
            PutAsync(npm.Source(name), new JsonObject { ["tag"] = "latest", ["version"] = "9.9.9" }, NpmFixture.Artifacts(name, "0.0.0")));
        missing.Message.ShouldBe($"moving dist-tag 'latest' of {name} on {npm.Registry.Url}: version 9.9.9 of {name} does not exist (newest: 1.1.0-abcdef0-202401010000.0, 1.0.0)");

        (await npm.Registry.DistTagsAsync(name)).ShouldBe(before, ignoreOrder: true);
        ((await npm.Registry.PackumentAsync(name))!["versions"] as JsonObject)!.Select(p => p.Key).ShouldBe(["1.0.0", "1.1.0-abcdef0-202401010000.0"], ignoreOrder: true);
    }

    [VerdaccioFact]
    public async Task PutAsync_PublishesPackedTarball_WhenPublishNamesAFile()
    {
        var name = npm.NewName("packed");
        var artifacts = NpmFixture.Artifacts(name, "1.0.0", ("lib/main.js", "exports.main = 1;\n"));
        var tgz = await NpmTarball.PackAsync(Path.Combine(artifacts, "app"), JsonNode.Parse(File.ReadAllText(Path.Combine(artifacts, "app", "package.json")))!.AsObject(), CancellationToken.None);
        Directory.CreateDirectory(Path.Combine(artifacts, "dist"));
        await File.WriteAllBytesAsync(Path.Combine(artifacts, "dist", "app-1.0.0.tgz"), tgz);

        var result = await PutAsync(npm.Source(name), new JsonObject { ["publish"] = "dist/app-1.0.0.tgz" }, artifacts);

        result.Version["version"].ShouldBe("1.0.0");
        var directory = Directory.CreateTempSubdirectory("ferry-npm-get-").FullName;
        await new NpmResourceType(TimeProvider.System).GetAsync(NpmFixture.Call().Call, npm.Source(name), result, [], directory, CancellationToken.None);
        File.ReadAllText(Path.Combine(directory, "package", "lib", "main.js")).ShouldBe("exports.main = 1;\n");
    }

    [Fact]
    public async Task PutAsync_NamesTheField_WhenParamsAreBad()
    {
        var source = new JsonObject { ["package"] = "@acme/app", ["registry"] = "http://127.0.0.1:9/" };
        var artifacts = NpmFixture.Artifacts("@acme/other", "1.0.0");

        (await Should.ThrowAsync<ResourceConfigException>(() => PutAsync(source, [], artifacts))).Message.ShouldStartWith("params: a put publishes (params.publish) or moves a dist-tag");
        (await Should.ThrowAsync<ResourceConfigException>(() => PutAsync(source, new JsonObject { ["publish"] = "app" }, artifacts)))
            .Message.ShouldBe("params.publish: app/package.json names the package '@acme/other', and source.package is '@acme/app'");
        (await Should.ThrowAsync<ResourceConfigException>(() => PutAsync(source, new JsonObject { ["publish"] = "../etc" }, artifacts)))
            .Message.ShouldStartWith("params.publish: '../etc' is not a path inside the build's artifacts");
        (await Should.ThrowAsync<ResourceConfigException>(() => PutAsync(source, new JsonObject { ["publish"] = "app", ["version"] = "1.0.0" }, artifacts)))
            .Message.ShouldStartWith("params.version: moves a dist-tag, and cannot be combined with params.publish");
        (await Should.ThrowAsync<ResourceConfigException>(() => PutAsync(source, new JsonObject { ["tag"] = "latest", ["version"] = "1.0.0", ["from_tag"] = "nightly" }, artifacts)))
            .Message.ShouldBe("params.from_tag: give one of params.version, version_file and from_tag, not version and from_tag");
    }
}
