using System.Diagnostics;
using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Processes;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.External;

namespace Ferry.Engine.Tests.Resources;

public sealed class ExternalResourceTypeTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-external-").FullName;
    private readonly StringWriter _log = new();
    private static readonly ProcessRunner Processes = new();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Scripts(string check, string @in = "cat > /dev/null; echo '{}'", string @out = "cat > /dev/null; echo '{}'")
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, "type-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        foreach (var (name, body) in new[] { ("check", check), ("in", @in), ("out", @out) })
        {
            var file = Path.Combine(directory, name);
            File.WriteAllText(file, "#!/bin/sh\nset -e\n" + body + "\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return directory;
    }

    private ResourceCall Call(Dictionary<string, string>? env = null) =>
        new(_log, env ?? new Dictionary<string, string>(), Directory.CreateDirectory(Path.Combine(_root, "work")).FullName);

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public async Task CheckAsync_SendsSourceAndVersionOnStdin_AndParsesVersions()
    {
        var type = ExternalResourceType.Open("echo", Scripts("""
            cat > "$PWD/request.json"
            echo "checking" >&2
            echo '[{"n":"1"},{"n":"2","extra":3}]'
            """), "path", Processes);

        var versions = await type.CheckAsync(Call(), Json("""{"a": "b"}"""), new ResourceVersion(new Dictionary<string, string> { ["n"] = "1" }), CancellationToken.None);

        versions.Select(v => v.Key).ShouldBe(["n:1", "extra:3,n:2"]);
        var request = JsonNode.Parse(File.ReadAllText(Path.Combine(_root, "work", "request.json")))!;
        request.ToJsonString().ShouldBe("""{"source":{"a":"b"},"version":{"n":"1"}}""");
        _log.ToString().ShouldContain("checking");
    }

    [Fact]
    public async Task GetAsync_PassesDestinationAndBuildEnvironment_AndReadsMetadata()
    {
        var type = ExternalResourceType.Open("echo", Scripts("echo '[]'", @in: """
            request=$(cat)
            printf '%s' "$request" > "$1/request.json"
            printf '%s %s' "$BUILD_ID" "$BUILD_PIPELINE_NAME" > "$1/env.txt"
            echo '{"version":{"n":"7"},"metadata":[{"name":"who","value":"me"}]}'
            """), "path", Processes);
        var destination = Directory.CreateDirectory(Path.Combine(_root, "dest")).FullName;
        var env = new Dictionary<string, string> { ["BUILD_ID"] = "42", ["BUILD_PIPELINE_NAME"] = "main" };

        var version = await type.GetAsync(Call(env), Json("{}"), new ResourceVersion(new Dictionary<string, string> { ["n"] = "7" }), Json("""{"p": 1}"""), destination, CancellationToken.None);

        version.Key.ShouldBe("n:7");
        version.Metadata.ShouldBe([new MetadataField("who", "me")]);
        File.ReadAllText(Path.Combine(destination, "env.txt")).ShouldBe("42 main");
        File.ReadAllText(Path.Combine(destination, "request.json")).ShouldBe("""{"source":{},"version":{"n":"7"},"params":{"p":1}}""");
    }

    [Fact]
    public async Task PutAsync_RunsOutInArtifactsRoot_AndReturnsItsVersion()
    {
        var type = ExternalResourceType.Open("echo", Scripts("echo '[]'", @out: """
            cat > /dev/null
            n=$(cat "$1/build/number")
            echo "{\"version\":{\"n\":\"$n\"}}"
            """), "path", Processes);
        var artifacts = Directory.CreateDirectory(Path.Combine(_root, "artifacts", "build")).Parent!.FullName;
        File.WriteAllText(Path.Combine(artifacts, "build", "number"), "9");

        var version = await type.PutAsync(Call(), Json("{}"), Json("{}"), artifacts, CancellationToken.None);

        version.Key.ShouldBe("n:9");
    }

    [Fact]
    public async Task CheckAsync_ThrowsRetryableWithStderr_WhenScriptFails()
    {
        var type = ExternalResourceType.Open("broken", Scripts("echo 'registry unreachable' >&2; exit 3"), "path", Processes);

        var error = await Should.ThrowAsync<ResourceException>(() => type.CheckAsync(Call(), Json("{}"), null, CancellationToken.None));

        error.IsRetryable.ShouldBeTrue();
        error.Message.ShouldBe("resource type 'broken': check exited with code 3: registry unreachable");
    }

    [Theory]
    [InlineData("echo 'not json at all'", "not JSON")]
    [InlineData("""echo '{"n":"1"}'""", "expected a JSON array")]
    [InlineData("""echo '[{"n":{"deep":1}}]'""", "version field 'n' must be a string")]
    public async Task CheckAsync_ThrowsQuotingOutput_WhenOutputMalformed(string script, string problem)
    {
        var type = ExternalResourceType.Open("bad", Scripts("cat > /dev/null; " + script), "path", Processes);

        var error = await Should.ThrowAsync<ResourceException>(() => type.CheckAsync(Call(), Json("{}"), null, CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldContain(problem);
        error.Message.ShouldContain("it printed: \"");
    }

    [Fact]
    public async Task CheckAsync_KillsProcessTree_WhenCancelled()
    {
        var marker = Path.Combine(_root, "child.pid");
        var type = ExternalResourceType.Open("slow", Scripts($"sleep 30 & echo $! > {marker}; wait"), "path", Processes);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = Stopwatch.StartNew();

        await Should.ThrowAsync<OperationCanceledException>(() => type.CheckAsync(Call(), Json("{}"), null, timeout.Token));

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        var child = int.Parse(File.ReadAllText(marker).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 40 && Alive(child); i++)
            await Task.Delay(50);
        Alive(child).ShouldBeFalse();
    }

    /// <summary>Running, not gone or a zombie waiting for whoever adopted it to reap it.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public async Task CheckAsync_RefusesOutput_WhenScriptPrintsTooMuch()
    {
        var type = ExternalResourceType.Open("chatty", Scripts("cat > /dev/null; head -c 20000000 /dev/zero | tr '\\0' 'x'"), "path", Processes);

        var error = await Should.ThrowAsync<ResourceException>(() => type.CheckAsync(Call(), Json("{}"), null, CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldContain("printed more than 16 MiB");
    }

    [Fact]
    public void Open_ThrowsConfigError_WhenExecutableMissing()
    {
        var directory = Scripts("echo '[]'");
        File.Delete(Path.Combine(directory, "out"));

        var error = Should.Throw<ResourceConfigException>(() => ExternalResourceType.Open("partial", directory, "resource_types.partial.source.path", Processes));

        error.Message.ShouldBe($"resource_types.partial.source.path: resource type 'partial' has no 'out' executable in '{directory}'");
    }
}
