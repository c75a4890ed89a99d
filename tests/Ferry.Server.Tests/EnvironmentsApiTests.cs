using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Ferry.Core.Promotion;
using Ferry.Core.Versions;
using Ferry.Storage;

namespace Ferry.Server.Tests;

/// <summary>
/// The promotion API over a pipeline with development -> staging -> production, with releases made through the store
/// (the loops are off): the matrix, previews, refusals as 409 problems that say why, approvals by token, holds,
/// variables whose secrets never come back, releases and the audit log.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class EnvironmentsApiTests(FerryHost host)
{
    private const string Yaml = """
        resources:
          - name: app
            type: git
            source: { uri: "file:///tmp/nowhere.git", branch: main }
        jobs:
          - name: unit
            plan: [{ get: app, trigger: true }]
        environments:
          - name: development
            release: [app]
            from: [unit]
            variables: { GREETING: hello }
            deploy: [{ task: deploy, config: { platform: linux, run: { path: "true" } } }]
          - name: staging
            from: [development]
            deploy: [{ task: deploy, config: { platform: linux, run: { path: "true" } } }]
          - name: production
            from: [staging]
            promote: manual
            approval: { required: 1, from: [ops] }
            variables: { API_KEY: { required: true } }
            deploy: [{ task: deploy, config: { platform: linux, run: { path: "true" } } }]
        """;

    private async Task<(string Pipeline, int Id)> PipelineWithReleasesAsync(int releases)
    {
        var name = "train-" + Guid.NewGuid().ToString("N")[..8];
        await host.SetPipelineAsync(name, Yaml);
        var pipeline = (await host.Store.GetPipelineAsync(name))!;
        var app = (await host.Store.GetResourceAsync(pipeline.Id, "app"))!;
        for (var i = 1; i <= releases; i++)
        {
            var saved = await host.Store.SaveVersionsAsync(app.Id, [new ResourceVersion(new Dictionary<string, string> { ["ref"] = $"c0ffee{i}" }, [])]);
            await host.Store.SaveReleaseAsync(pipeline.Id, [new ReleaseVersionInput(app.Id, saved[^1].Id)]);
        }
        return (name, pipeline.Id);
    }

    private Task VerifyAsync(long promotionId) => Ferry.Tests.Shared.PromotionBuildsDone.SucceedAsync(host.Store, promotionId);

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : FerryHost.Json(body) };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    [Fact]
    public async Task ListEnvironments_ShowsTheChainUpstreamFirst_WithTheNewestEligibleRelease()
    {
        var (p, _) = await PipelineWithReleasesAsync(2);

        var environments = (await host.GetJsonAsync($"/api/v1/pipelines/{p}/environments")).AsArray();

        environments.Select(e => e!["name"]!.GetValue<string>()).ShouldBe(["development", "staging", "production"]);
        environments[0]!["newestEligible"]!.GetValue<string>().ShouldBe("r2");
        environments[0]!["firstFrom"]!.AsArray().Single()!.GetValue<string>().ShouldBe("unit");
        environments[1]!["newestEligible"].ShouldBeNull();
        environments[2]!["promote"]!.GetValue<string>().ShouldBe("manual");
        environments[2]!["approval"]!["from"]!.AsArray().Single()!.GetValue<string>().ShouldBe("ops");
        environments[2]!["current"].ShouldBeNull();
    }

    [Fact]
    public async Task Promote_IsRefusedWith409AndItsReason_WhenTheReleaseWouldSkipAnEnvironment()
    {
        var (p, _) = await PipelineWithReleasesAsync(1);
        var development = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/environments/development/promotions", new JsonObject { ["release"] = "r1" });
        development.Status.ShouldBe(HttpStatusCode.Created, development.Body.ToJsonString());
        await VerifyAsync(development.Body["id"]!.GetValue<long>());

        var production = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/environments/production/promotions", new JsonObject { ["release"] = "r1" });

        production.Status.ShouldBe(HttpStatusCode.Conflict);
        production.Body["refusal"]!["kind"]!.GetValue<string>().ShouldBe("would_skip_environment");
        production.Body["detail"]!.GetValue<string>().ShouldBe("r1 cannot be promoted into production: that would skip staging (r1 is verified in development only).");
    }

    [Fact]
    public async Task DryRun_AnswersThePreview_AndPromotesNothing()
    {
        var (p, id) = await PipelineWithReleasesAsync(1);

        var preview = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/environments/development/promotions", new JsonObject { ["dryRun"] = true });

        preview.Status.ShouldBe(HttpStatusCode.OK, preview.Body.ToJsonString());
        preview.Body["release"]!.GetValue<string>().ShouldBe("r1");
        preview.Body["currentRelease"].ShouldBeNull();
        var change = preview.Body["changes"]!.AsArray().Single()!;
        change["resource"]!.GetValue<string>().ShouldBe("app");
        change["to"]!["ref"]!.GetValue<string>().ShouldBe("c0ffee1");
        preview.Body["refusal"].ShouldBeNull();
        (await host.Store.ListPromotionsAsync(id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ProductionPromotion_WaitsForAnApproverFromOps_AndRefusesARequiredKeyWithoutValue()
    {
        var (p, _) = await PipelineWithReleasesAsync(1);
        foreach (var environment in new[] { "development", "staging" })
        {
            var created = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/environments/{environment}/promotions", new JsonObject());
            await VerifyAsync(created.Body["id"]!.GetValue<long>());
        }
        // alice may promote and set variables (a member of main); bob may only approve, as one of ops.
        var alice = await host.TokenAsync("alice-" + p, "main:member", "dev");
        var bob = await host.TokenAsync("bob-" + p, "ops:viewer");

        var missing = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/environments/production/promotions", new JsonObject(), alice);
        missing.Status.ShouldBe(HttpStatusCode.Conflict);
        missing.Body["refusal"]!["kind"]!.GetValue<string>().ShouldBe("required_variable_empty");
        missing.Body["detail"]!.GetValue<string>().ShouldContain("the required variable API_KEY has no value there");

        var set = await SendAsync(HttpMethod.Put, $"/api/v1/pipelines/{p}/environments/production/variables/API_KEY",
            new JsonObject { ["value"] = "prod-secret-value", ["secret"] = true }, alice);
        set.Status.ShouldBe(HttpStatusCode.NoContent, set.Body.ToJsonString());
        var variables = await host.GetJsonAsync($"/api/v1/pipelines/{p}/environments/production/variables");
        variables.ToJsonString().ShouldNotContain("prod-secret-value");
        var key = variables.AsArray().Single(v => v!["name"]!.GetValue<string>() == "API_KEY")!;
        (key["secret"]!.GetValue<bool>(), key["hasValue"]!.GetValue<bool>(), key["required"]!.GetValue<bool>()).ShouldBe((true, true, true));

        var promotion = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/environments/production/promotions", new JsonObject(), alice);
        promotion.Status.ShouldBe(HttpStatusCode.Created, promotion.Body.ToJsonString());
        promotion.Body["status"]!.GetValue<string>().ShouldBe("awaiting_approval");
        promotion.Body["requestedBy"]!.GetValue<string>().ShouldBe("alice-" + p);
        var promotionId = promotion.Body["id"]!.GetValue<long>();
        var waiting = await host.GetJsonAsync($"/api/v1/pipelines/{p}/environments/production/explain");
        waiting["why"]!.GetValue<string>().ShouldBe(
            $"promotion {promotionId} of r1 into production awaits approval: 1 more of ops must approve (not alice-{p}, who asked for it).");

        var self = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/promotions/{promotionId}/approve", new JsonObject(), alice);
        self.Status.ShouldBe(HttpStatusCode.Conflict);
        self.Body["detail"]!.GetValue<string>().ShouldContain("does not allow self-approval");
        var approved = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/promotions/{promotionId}/approve", new JsonObject { ["comment"] = "go" }, bob);
        approved.Status.ShouldBe(HttpStatusCode.OK, approved.Body.ToJsonString());
        approved.Body["status"]!.GetValue<string>().ShouldBe("approved");
        approved.Body["votes"]!.AsArray().Single()!["comment"]!.GetValue<string>().ShouldBe("go");

        var audit = (await host.GetJsonAsync($"/api/v1/pipelines/{p}/audit")).AsArray();
        audit.ShouldContain(a => a!["action"]!.GetValue<string>() == "approval" && a["actor"]!.GetValue<string>() == "bob-" + p);
        audit.ToJsonString().ShouldNotContain("prod-secret-value");
    }

    [Fact]
    public async Task HoldAndRollback_AreRecorded_AndARollbackGoesOnlyToAReleaseVerifiedThere()
    {
        var (p, _) = await PipelineWithReleasesAsync(2);
        var first = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/environments/development/promotions", new JsonObject { ["release"] = "r1" });
        await VerifyAsync(first.Body["id"]!.GetValue<long>());

        var never = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/environments/development/rollback", new JsonObject { ["to"] = "r2" });
        never.Status.ShouldBe(HttpStatusCode.Conflict);
        never.Body["refusal"]!["kind"]!.GetValue<string>().ShouldBe("not_verified_for_rollback");

        var rollback = await SendAsync(HttpMethod.Post, $"/api/v1/pipelines/{p}/environments/development/rollback", new JsonObject { ["to"] = "1" });
        rollback.Status.ShouldBe(HttpStatusCode.Created, rollback.Body.ToJsonString());
        rollback.Body["trigger"]!.GetValue<string>().ShouldBe("rollback");
        var held = await host.GetJsonAsync($"/api/v1/pipelines/{p}/environments/development");
        held["hold"]!["reason"]!.GetValue<string>().ShouldBe("a rollback to r1");
        var why = await host.GetJsonAsync($"/api/v1/pipelines/{p}/environments/staging/explain");
        why["why"]!.GetValue<string>().ShouldBe("r1 is eligible for staging and is being promoted automatically.");
        why["newestRelease"]!.GetValue<string>().ShouldBe("r2");

        var lifted = await SendAsync(HttpMethod.Delete, $"/api/v1/pipelines/{p}/environments/development/hold");
        lifted.Status.ShouldBe(HttpStatusCode.OK);
        lifted.Body["hold"].ShouldBeNull();
        var hold = await SendAsync(HttpMethod.Put, $"/api/v1/pipelines/{p}/environments/staging/hold", new JsonObject { ["reason"] = "db migration" });
        hold.Body["hold"]!["reason"]!.GetValue<string>().ShouldBe("a hold (db migration)");
        var actions = (await host.GetJsonAsync($"/api/v1/pipelines/{p}/audit")).AsArray().Select(a => a!["action"]!.GetValue<string>()).ToList();
        actions.ShouldContain("rollback");
        actions.ShouldContain("hold_lifted");
        actions.ShouldContain("hold");
        var releases = (await host.GetJsonAsync($"/api/v1/pipelines/{p}/releases")).AsArray();
        releases.Select(r => r!["name"]!.GetValue<string>()).ShouldBe(["r2", "r1"]);
        releases[1]!["verifiedIn"]!.AsArray().Single()!.GetValue<string>().ShouldBe("development");
    }

    [Fact]
    public async Task UnknownNamesAndBadInput_AnswerProblems_ThatNameWhatIsWrong()
    {
        var (p, _) = await PipelineWithReleasesAsync(1);

        var environment = await SendAsync(HttpMethod.Get, $"/api/v1/pipelines/{p}/environments/qa");
        environment.Status.ShouldBe(HttpStatusCode.NotFound);
        environment.Body["detail"]!.GetValue<string>().ShouldBe($"environment 'qa' not found in pipeline '{p}'");
        var release = await SendAsync(HttpMethod.Get, $"/api/v1/pipelines/{p}/releases/r9");
        release.Status.ShouldBe(HttpStatusCode.NotFound);
        var badName = await SendAsync(HttpMethod.Get, $"/api/v1/pipelines/{p}/releases/latest");
        badName.Status.ShouldBe(HttpStatusCode.BadRequest);
        badName.Body["detail"]!.GetValue<string>().ShouldContain("'latest' is not a release name");
        var variable = await SendAsync(HttpMethod.Put, $"/api/v1/pipelines/{p}/environments/staging/variables/9lives", new JsonObject { ["value"] = "x" });
        variable.Status.ShouldBe(HttpStatusCode.BadRequest);
        variable.Body["detail"]!.GetValue<string>().ShouldContain("variable name '9lives' is not valid");
        var pipeline = await SendAsync(HttpMethod.Get, "/api/v1/pipelines/no-such-pipeline/environments");
        pipeline.Status.ShouldBe(HttpStatusCode.NotFound);
    }
}
