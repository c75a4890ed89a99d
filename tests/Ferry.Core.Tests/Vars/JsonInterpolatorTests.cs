using System.Text.Json.Nodes;
using Ferry.Core.Vars;

namespace Ferry.Core.Tests.Vars;

/// <summary>Run-time interpolation of resource sources and step params from var sources and secrets.</summary>
public sealed class JsonInterpolatorTests
{
    private static readonly Dictionary<string, VarValue> Known = new(StringComparer.Ordinal)
    {
        ["vault:ci/app"] = new(JsonNode.Parse("""{ "token": "s3cret", "nested": { "key": "k3y" }, "port": 5432 }"""), Secret: true),
        ["region"] = new(JsonValue.Create("eu-west-1")),
        ["replicas"] = new(JsonValue.Create(3)),
        ["settings"] = new(JsonNode.Parse("""{ "debug": true }""")),
        [".:local"] = new(JsonValue.Create("from-load-var")),
    };

    private static VarValue? Lookup(VarReference reference) => Known.GetValueOrDefault(reference.Name);

    private static InterpolationResult Run(string json) => JsonInterpolator.Interpolate(JsonNode.Parse(json), Lookup);

    [Fact]
    public void Interpolate_KeepsTypes_WhenPlaceholderIsWholeValue()
    {
        var result = Run("""{ "n": "((replicas))", "s": "((settings))", "r": "((region))", "l": "((.:local))" }""");

        result.Succeeded.ShouldBeTrue();
        result.Value!.ToJsonString().ShouldBe("""{"n":3,"s":{"debug":true},"r":"eu-west-1","l":"from-load-var"}""");
        result.Used.ShouldBe([".:local", "region", "replicas", "settings"]);
    }

    [Fact]
    public void Interpolate_ReportsSecretNamesAndValues_WhenVarIsSecret()
    {
        var result = Run("""{ "auth": "Bearer ((vault:ci/app.token))", "all": "((vault:ci/app))", "port": "((vault:ci/app.port))" }""");

        result.Succeeded.ShouldBeTrue();
        result.Value!["auth"]!.GetValue<string>().ShouldBe("Bearer s3cret");
        result.Value["port"]!.GetValue<int>().ShouldBe(5432);
        result.SecretNames.ShouldBe(["vault:ci/app"]);
        // Every string inside a secret is redacted from logs, also the ones not asked for by field.
        result.SecretValues.ShouldBe(["s3cret", "k3y", "5432"], ignoreOrder: true);
        result.SecretValues.ShouldNotContain("eu-west-1");
    }

    [Fact]
    public void Interpolate_ReportsAndKeepsPlaceholder_WhenVarIsUnknown()
    {
        var result = Run("""{ "a": "((missing))", "b": ["x-((vault:ci/other.f))-y"], "c": "((region))" }""");

        result.Succeeded.ShouldBeFalse();
        result.Unresolved.Select(r => r.ToString()).ShouldBe(["missing", "vault:ci/other.f"], ignoreOrder: true);
        result.Value!["a"]!.GetValue<string>().ShouldBe("((missing))");
        result.Value["b"]![0]!.GetValue<string>().ShouldBe("x-((vault:ci/other.f))-y");
        result.Value["c"]!.GetValue<string>().ShouldBe("eu-west-1");
    }

    [Fact]
    public void Interpolate_ReportsError_WhenEmbeddedValueIsMapping()
    {
        var result = Run("""{ "a": "flags: ((settings))" }""");

        result.Succeeded.ShouldBeFalse();
        result.Errors.ShouldBe(["var 'settings' is not a string or a number and cannot be embedded in a string"]);
        result.Value!["a"]!.GetValue<string>().ShouldBe("flags: ((settings))");
    }

    [Fact]
    public void Interpolate_ReportsError_WhenFieldIsMissing()
    {
        var result = Run("""{ "a": "((vault:ci/app.nope))" }""");

        result.Errors.ShouldBe(["var 'vault:ci/app.nope': field 'nope' not found"]);
    }

    [Fact]
    public void Interpolate_LeavesInputUnchanged()
    {
        var input = JsonNode.Parse("""{ "a": "((region))" }""");

        JsonInterpolator.Interpolate(input, Lookup);

        input!["a"]!.GetValue<string>().ShouldBe("((region))");
    }

    [Fact]
    public void References_FindsEveryPlaceholder_WithoutResolving()
    {
        var found = JsonInterpolator.References(JsonNode.Parse("""{ "a": ["((x))", { "b": "p-((vault:s/p.f))-((.:l))" }], "n": 1 }"""));

        found.Select(r => r.Name).ShouldBe(["x", "vault:s/p", ".:l"], ignoreOrder: true);
    }
}
