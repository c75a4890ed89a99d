using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Resources;

namespace Ferry.Engine.Tests.Resources;

public sealed class ResourceTypeRegistryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ferry-registry-").FullName;
    private readonly ResourceTypeRegistry _registry = ResourceTypeRegistry.WithBuiltIns();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    /// <summary>A Concourse-style resource written in sh: versions are numbers kept in a file named by source.file.</summary>
    private string CounterType()
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, "counter")).FullName;
        var scripts = new Dictionary<string, string>
        {
            ["check"] = """
                request=$(cat)
                file=$(printf '%s' "$request" | sed -n 's/.*"file":"\([^"]*\)".*/\1/p')
                n=$(cat "$file" 2>/dev/null || echo 0)
                echo "[{\"number\":\"$n\"}]"
                """,
            ["in"] = """
                request=$(cat)
                n=$(printf '%s' "$request" | sed -n 's/.*"number":"\([^"]*\)".*/\1/p')
                echo "$n" > "$1/number"
                echo "{\"version\":{\"number\":\"$n\"},\"metadata\":[{\"name\":\"number\",\"value\":\"$n\"}]}"
                """,
            ["out"] = """
                request=$(cat)
                file=$(printf '%s' "$request" | sed -n 's/.*"file":"\([^"]*\)".*/\1/p')
                n=$(( $(cat "$file" 2>/dev/null || echo 0) + 1 ))
                echo "$n" > "$file"
                echo "bumped to $n" >&2
                echo "{\"version\":{\"number\":\"$n\"}}"
                """,
        };
        foreach (var (name, body) in scripts)
        {
            var file = Path.Combine(directory, name);
            File.WriteAllText(file, "#!/bin/sh\nset -e\n" + body + "\n");
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return directory;
    }

    [Fact]
    public void Resolve_FindsBuiltIns_WhenNoPipelineTypes()
    {
        _registry.Resolve("git").Name.ShouldBe("git");
        _registry.Resolve("time").Name.ShouldBe("time");
        _registry.Resolve("node-red").Name.ShouldBe("node-red");
        _registry.Names.ShouldBe(["git", "node-red", "npm", "registry-image", "time"], ignoreOrder: true);
    }

    [Fact]
    public void Resolve_ThrowsTerminalNamingKnownTypes_WhenUnknown()
    {
        var error = Should.Throw<ResourceException>(() => _registry.Resolve("s3"));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldBe("unknown resource type 's3' (known: git, node-red, registry-image, time)");
    }

    [Fact]
    public void Resolve_ThrowsTerminalNamingImage_WhenTypeIsContainerImageAndServerRunsNoContainers()
    {
        var declared = new ResourceTypeDeclaration("slack", "registry-image", Json("""{"repository": "cfcommunity/slack-notification-resource", "tag": "latest"}"""));

        var error = Should.Throw<ResourceException>(() => _registry.Resolve("slack", [declared]));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldStartWith("resource_types.slack: resource type 'slack' is a container image (registry-image cfcommunity/slack-notification-resource:latest), " +
                                      "and this server runs no containers");
    }

    [Fact]
    public void ValidateDeclaration_NeedsARepository_WhenTypeIsContainerImage()
    {
        var problems = ResourceTypeRegistry.ValidateDeclaration(new ResourceTypeDeclaration("slack", "docker-image", Json("""{"tag": "1", "mirror": "x"}""")), "resource_types.slack");

        problems.Errors.ShouldBe(["resource_types.slack.source.repository: required"]);
        problems.Warnings.Single().ShouldStartWith("resource_types.slack.source.mirror: unknown field");
    }

    [Fact]
    public void Resolve_ThrowsConfigError_WhenExecTypeHasNoPath()
    {
        var error = Should.Throw<ResourceConfigException>(() => _registry.Resolve("mine", [new ResourceTypeDeclaration("mine", "exec", [])]));

        error.Errors.ShouldBe(["resource_types.mine.source.path: required"]);
    }

    [Fact]
    public async Task Resolve_RunsPipelineExecType_ThroughCheckGetPut()
    {
        var state = Path.Combine(_root, "state");
        var declared = new ResourceTypeDeclaration("counter", "exec", new JsonObject { ["path"] = CounterType() }, Json($$"""{"file": "{{state}}"}"""));
        var type = _registry.Resolve("counter", [declared]);
        var source = type.SourceWithDefaults([]);
        var log = new StringWriter();
        var call = new ResourceCall(log, new Dictionary<string, string>(), Directory.CreateDirectory(Path.Combine(_root, "work")).FullName);
        var destination = Directory.CreateDirectory(Path.Combine(_root, "got")).FullName;

        var before = await type.Type.CheckAsync(call, source, null, CancellationToken.None);
        var put = await type.Type.PutAsync(call, source, [], _root, CancellationToken.None);
        var after = await type.Type.CheckAsync(call, source, before[0], CancellationToken.None);
        var got = await type.Type.GetAsync(call, source, put, [], destination, CancellationToken.None);

        before.Single().Key.ShouldBe("number:0");
        put.Key.ShouldBe("number:1");
        after.Single().Key.ShouldBe("number:1");
        got.Metadata.ShouldBe([new MetadataField("number", "1")]);
        File.ReadAllText(Path.Combine(destination, "number")).Trim().ShouldBe("1");
        log.ToString().ShouldContain("bumped to 1");
    }

    [Fact]
    public void Resolve_PrefersPipelineType_WhenItShadowsBuiltIn()
    {
        var declared = new ResourceTypeDeclaration("git", "exec", new JsonObject { ["path"] = CounterType() });

        _registry.Resolve("git", [declared]).Source.IsOpen.ShouldBeTrue();
    }

    [Fact]
    public void ValidateSource_NamesEveryBadField_WhenGitSourceInvalid()
    {
        var problems = _registry.ValidateSource("git", Json("""{"branch": 3, "paths": [1], "brnch": "x"}"""), null, "resources.app.source");

        problems.Errors.ShouldBe(["resources.app.source.uri: required", "resources.app.source.branch: must be a string", "resources.app.source.paths: must be a string or a list of strings"]);
        problems.Warnings.Single().ShouldStartWith("resources.app.source.brnch: unknown field");
    }

    [Fact]
    public void ValidateSource_AcceptsVarPlaceholders_ForTypedFields()
    {
        var problems = _registry.ValidateSource("git", Json("""{"uri": "((repo))", "disable_ci_skip": "((skip))"}"""), null, "resources.app.source");

        problems.Ok.ShouldBeTrue();
    }

    [Fact]
    public void ValidateSource_ReportsUnknownType()
    {
        var problems = _registry.ValidateSource("s3", [], null, "resources.app.source");

        problems.Errors.ShouldBe(["resources.app.type: unknown resource type 's3'"]);
    }

    [Fact]
    public void Lookup_ReturnsNullForUnknown_AndThrowsForImageType_WhenServerRunsNoContainers()
    {
        var lookup = _registry.Lookup([new ResourceTypeDeclaration("slack", "docker-image", Json("""{"repository": "slack"}"""))]);

        lookup("git").ShouldNotBeNull();
        lookup("s3").ShouldBeNull();
        Should.Throw<ResourceException>(() => lookup("slack")).IsRetryable.ShouldBeFalse();
    }

    [Fact]
    public void Register_Throws_WhenNameTakenTwice()
    {
        Should.Throw<InvalidOperationException>(() => _registry.Register(_registry.Resolve("git").Type, ConfigSchema.Open));
    }
}
