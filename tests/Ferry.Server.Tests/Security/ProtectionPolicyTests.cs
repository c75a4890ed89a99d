using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Ferry.Server.Tests.Security;

/// <summary>
/// Policy cannot be edited away: a config that takes protection from an environment needs an owner of the pipeline's
/// team; anyone else gets 403 naming the environment and the field. Every config change is audited with who made it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ProtectionPolicyTests(FerryHost host)
{
    private static string Config(string production) => $$"""
        resources:
          - name: app
            type: time
            source: { interval: 1h }
        jobs:
          - name: unit
            plan: [{ get: app, trigger: true }]
        environments:
          - name: staging
            release: [app]
            from: [unit]
            deploy: [{ task: d, config: { platform: linux, run: { path: "true" } } }]
          - name: production
            {{production}}
            deploy: [{ task: d, config: { platform: linux, run: { path: "true" } } }]
        """;

    private const string Guarded = "from: [staging]\n    promote: manual\n    protected: true\n    approval: { required: 1, from: [ops] }";

    [Fact]
    public async Task SetPipeline_Gets403NamingTheField_WhenAMemberTakesProtectionAway()
    {
        var name = "guarded-" + Guid.NewGuid().ToString("N")[..8];
        var member = await host.TokenAsync("mona-" + name, "main:member");
        (await SetAsync(member, name, Config(Guarded))).Status.ShouldBe(HttpStatusCode.OK, "a member sets the pipeline, protection and all");
        (await SetAsync(member, name, Config(Guarded + "\n    variables: { X: y }"))).Status.ShouldBe(HttpStatusCode.OK,
            "a change that keeps the protection needs no owner");

        var loosened = await SetAsync(member, name, Config("from: [staging]\n    promote: manual\n    approval: { required: 1, from: [ops, dev] }"));

        loosened.Status.ShouldBe(HttpStatusCode.Forbidden);
        var detail = loosened.Body["detail"]!.GetValue<string>();
        detail.ShouldContain($"needs the owner role in team main to weaken the protection of pipeline {name}");
        detail.ShouldContain("environments.production.protected: no longer protected");
        detail.ShouldContain("environments.production.approval.from: dev may now approve");
        var stored = (await host.Store.GetPipelineAsync(name))!;
        (await host.Store.GetPipelineConfigAsync(stored.Id))!.Number.ShouldBe(2, "the refused config is not stored");
    }

    [Fact]
    public async Task SetPipeline_LetsATeamOwnerWeakenProtection_AndAuditsEveryChangeWithWhoMadeIt()
    {
        var name = "owned-" + Guid.NewGuid().ToString("N")[..8];
        var member = await host.TokenAsync("mina-" + name, "main:member");
        var owner = await host.TokenAsync("otto-" + name, "main:owner");
        (await SetAsync(member, name, Config(Guarded))).Status.ShouldBe(HttpStatusCode.OK);

        (await SetAsync(owner, name, Config("from: [staging]"))).Status.ShouldBe(HttpStatusCode.OK);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/audit?pipeline={name}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", owner);
        using var response = await host.Anonymous.SendAsync(request);
        var entries = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray()
            .Where(e => e!["action"]!.GetValue<string>() == "config_set").ToList();
        entries.Select(e => (e!["actor"]!.GetValue<string>(), e["detail"]!.GetValue<string>().Split(':')[0]))
            .ShouldBe([("otto-" + name, "config 2"), ("mina-" + name, "config 1")]);
        entries[0]!["detail"]!.GetValue<string>().ShouldContain("weakens environments.production.protected");
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> SetAsync(string token, string pipeline, string yaml)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/pipelines/{pipeline}/config")
        {
            Content = FerryHost.Json(new JsonObject { ["config"] = yaml }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Anonymous.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }
}
