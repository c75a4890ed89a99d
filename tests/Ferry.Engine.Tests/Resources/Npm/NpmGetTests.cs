using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.Npm;
using Ferry.Tests.LocalServers;

namespace Ferry.Engine.Tests.Resources.Npm;

public sealed class NpmGetTests(NpmFixture npm) : IClassFixture<NpmFixture>
{
    private readonly NpmResourceType _type = new(TimeProvider.System);

    private static ResourceVersion Version(string version) => new(new Dictionary<string, string> { ["version"] = version });

    private async Task<(ResourceVersion Result, string Directory)> GetAsync(JsonObject source, string version, JsonObject? @params = null)
    {
        var directory = Directory.CreateTempSubdirectory("ferry-npm-get-").FullName;
        var (call, _) = NpmFixture.Call();
        return (await _type.GetAsync(call, source, Version(version), @params ?? [], directory, CancellationToken.None), directory);
    }

    [VerdaccioFact]
    public async Task GetAsync_UnpacksPackageWithMetadata_WhenIntegrityMatches()
    {
        var name = npm.NewName("get");
        await npm.PublishAsync(name, "1.2.3", index: "console.log('hello');\n");

        var (result, directory) = await GetAsync(npm.Source(name), "1.2.3");

        File.ReadAllText(Path.Combine(directory, "version")).ShouldBe("1.2.3");
        File.ReadAllText(Path.Combine(directory, "package", "index.js")).ShouldBe("console.log('hello');\n");
        JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "package", "package.json")))!["version"]!.GetValue<string>().ShouldBe("1.2.3");
        var metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "package.json")))!;
        metadata["dist"]!["integrity"]!.GetValue<string>().ShouldBe(NpmIntegrity.Sha512(File.ReadAllBytes(Path.Combine(directory, "package.tgz"))));
        result.Version["version"].ShouldBe("1.2.3");
        result.Metadata.ShouldContain(new MetadataField("dist_tags", "latest"));
    }

    [VerdaccioFact]
    public async Task GetAsync_WritesMetadataOnly_WhenSkipDownload()
    {
        var name = npm.NewName("skip");
        await npm.PublishAsync(name, "1.0.0");

        var (_, directory) = await GetAsync(npm.Source(name), "1.0.0", new JsonObject { ["skip_download"] = true });

        Directory.EnumerateFileSystemEntries(directory).Select(Path.GetFileName).Order().ShouldBe(["package.json", "version"]);
    }

    [VerdaccioFact]
    public async Task GetAsync_RefusesAndUnpacksNothing_WhenTarballTamperedWith()
    {
        var name = npm.NewName("tampered");
        await npm.PublishAsync(name, "1.0.0");
        var good = await File.ReadAllBytesAsync(npm.Registry.TarballFile(name, "1.0.0"));
        var evil = npm.NewName("evil");
        await npm.PublishAsync(evil, "1.0.0", index: "require('child_process').exec('curl evil');\n");
        // A registry (or a mirror in between) that serves other bytes than were published.
        await File.WriteAllBytesAsync(npm.Registry.TarballFile(name, "1.0.0"), await File.ReadAllBytesAsync(npm.Registry.TarballFile(evil, "1.0.0")));

        var directory = Directory.CreateTempSubdirectory("ferry-npm-get-").FullName;
        var error = await Should.ThrowAsync<ResourceException>(() =>
            _type.GetAsync(NpmFixture.Call().Call, npm.Source(name), Version("1.0.0"), [], directory, CancellationToken.None));

        error.Message.ShouldStartWith($"getting {name}@1.0.0 from {npm.Registry.Url}: integrity mismatch: the registry's dist.integrity {NpmIntegrity.Sha512(good)}");
        error.IsRetryable.ShouldBeFalse();
        Directory.Exists(Path.Combine(directory, "package")).ShouldBeFalse();
        File.Exists(Path.Combine(directory, "package.tgz")).ShouldBeFalse();
    }

    [VerdaccioFact]
    public async Task GetAsync_SaysSo_WhenTarballIsNotGzip()
    {
        var name = npm.NewName("zip");
        await npm.Registry.PublishRawAsync(name, "1.0.0", "PK\u0003\u0004 a zip, not a tarball"u8.ToArray());

        var error = await Should.ThrowAsync<ResourceException>(() => GetAsync(npm.Source(name), "1.0.0"));

        error.Message.ShouldBe($"getting {name}@1.0.0 from {npm.Registry.Url}: the tarball is not gzip (it starts with 504B0304)");
    }

    [VerdaccioFact]
    public async Task GetAsync_RefusesEntry_WhenItEscapesTheDirectory()
    {
        var name = npm.NewName("escape");
        await npm.Registry.PublishRawAsync(name, "1.0.0", Tarball(("package/package.json", "{}"), ("package/../../outside.txt", "escaped")));

        var error = await Should.ThrowAsync<ResourceException>(() => GetAsync(npm.Source(name), "1.0.0"));

        error.Message.ShouldContain("the tarball's entry 'package/../../outside.txt' escapes the package directory; refused");
    }

    [VerdaccioFact]
    public async Task GetAsync_NamesNewestVersions_WhenVersionMissing()
    {
        var name = npm.NewName("missing");
        await npm.PublishAsync(name, "1.0.0");
        await npm.PublishAsync(name, "1.1.0");

        var error = await Should.ThrowAsync<ResourceException>(() => GetAsync(npm.Source(name), "9.9.9"));

        error.Message.ShouldBe($"getting {name}@9.9.9 from {npm.Registry.Url}: version 9.9.9 of {name} does not exist (newest: 1.1.0, 1.0.0)");
        error.IsRetryable.ShouldBeFalse();
    }

    private static byte[] Tarball(params (string Name, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (entryName, text) in files)
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)) });
        }
        return buffer.ToArray();
    }
}
