using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Ferry.Server.Tests;

/// <summary>
/// Who may do what through the API, against a real server: no token gets 401 except the info endpoint and resource
/// webhooks; a role too low gets 403 naming the role needed; another team's pipelines are absent; an approver named in
/// approval.from sees the pipeline and may approve, nothing more; a revoked token or removed user gets 401 at once.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AuthorizationApiTests(FerryHost host)
{
    [Theory]
    [InlineData("GET", "/api/v1/pipelines")]
    [InlineData("GET", "/api/v1/whoami")]
    [InlineData("GET", "/api/v1/users")]
    [InlineData("GET", "/api/v1/builds/1")]
    [InlineData("PUT", "/api/v1/pipelines/any/config")]
    [InlineData("POST", "/api/v1/pipelines/any/jobs/unit/builds")]
    [InlineData("GET", "/api/v1/no-such-route")]
    public async Task AnyApiRoute_Returns401Problem_WhenNoTokenIsSent(string method, string path)
    {
        using var response = await host.Anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["detail"]!.GetValue<string>().ShouldStartWith("this server needs a signed-in user");
    }

    [Fact]
    public async Task InfoAndOpenApi_AnswerWithAndWithoutSignIn_AsTheyShould()
    {
        using var info = await host.Anonymous.GetAsync("/api/v1/info");
        using var openApi = await host.Anonymous.GetAsync("/openapi/v1.json");

        info.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonNode.Parse(await info.Content.ReadAsStringAsync())!["version"].ShouldNotBeNull();
        openApi.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Endpoints_Return403NamingTheRoleNeeded_WhenTheUsersRoleIsTooLow()
    {
        var p = await NewPipelineAsync(Pipelines.Greet);
        var viewer = await host.TokenAsync($"viewer-{p}", "main:viewer");
        var operatorToken = await host.TokenAsync($"operator-{p}", "main:operator");
        var member = await host.TokenAsync($"member-{p}", "main:member");

        var look = await SendAsync(viewer, HttpMethod.Get, $"/api/v1/pipelines/{p}/jobs");
        var viewerTriggers = await SendAsync(viewer, HttpMethod.Post, $"/api/v1/pipelines/{p}/jobs/greet/builds");
        var operatorTriggers = await SendAsync(operatorToken, HttpMethod.Post, $"/api/v1/pipelines/{p}/jobs/greet/builds");
        var operatorSets = await SendAsync(operatorToken, HttpMethod.Put, $"/api/v1/pipelines/{p}/config", new JsonObject { ["config"] = Pipelines.Greet });
        var memberSets = await SendAsync(member, HttpMethod.Put, $"/api/v1/pipelines/{p}/config", new JsonObject { ["config"] = Pipelines.Greet });
        var memberDestroys = await SendAsync(member, HttpMethod.Delete, $"/api/v1/pipelines/{p}");
        var viewerAborts = await SendAsync(viewer, HttpMethod.Put, $"/api/v1/builds/{operatorTriggers.Body["id"]}/abort");

        look.Status.ShouldBe(HttpStatusCode.OK);
        viewerTriggers.Status.ShouldBe(HttpStatusCode.Forbidden);
        viewerTriggers.Body["detail"]!.GetValue<string>().ShouldBe($"viewer-{p} needs the operator role in team main to trigger jobs of pipeline {p}");
        operatorTriggers.Status.ShouldBe(HttpStatusCode.Created, operatorTriggers.Body.ToJsonString());
        operatorSets.Status.ShouldBe(HttpStatusCode.Forbidden);
        operatorSets.Body["detail"]!.GetValue<string>().ShouldBe($"operator-{p} needs the member role in team main to set pipeline {p}");
        memberSets.Status.ShouldBe(HttpStatusCode.OK, memberSets.Body.ToJsonString());
        memberDestroys.Status.ShouldBe(HttpStatusCode.Forbidden);
        memberDestroys.Body["detail"]!.GetValue<string>().ShouldBe($"member-{p} needs the owner role in team main to destroy pipeline {p}");
        viewerAborts.Status.ShouldBe(HttpStatusCode.Forbidden);
        viewerAborts.Body["detail"]!.GetValue<string>().ShouldBe($"viewer-{p} needs the operator role in team main to abort builds of pipeline {p}");
        (await host.Store.GetPipelineAsync(p)).ShouldNotBeNull();
    }

    [Fact]
    public async Task PipelinesOfAnotherTeam_AreAbsent_ForAUserWithoutARoleThere()
    {
        var p = await NewPipelineAsync(Pipelines.Greet);
        var trigger = await SendAsync(host.AdminToken, HttpMethod.Post, $"/api/v1/pipelines/{p}/jobs/greet/builds");
        var stranger = await host.TokenAsync($"stranger-{p}", "web:owner");

        var list = await SendAsync(stranger, HttpMethod.Get, "/api/v1/pipelines");
        var get = await SendAsync(stranger, HttpMethod.Get, $"/api/v1/pipelines/{p}");
        var build = await SendAsync(stranger, HttpMethod.Get, $"/api/v1/builds/{trigger.Body["id"]}");
        var builds = await SendAsync(stranger, HttpMethod.Get, "/api/v1/builds?limit=500");
        var destroy = await SendAsync(stranger, HttpMethod.Delete, $"/api/v1/pipelines/{p}");

        list.Status.ShouldBe(HttpStatusCode.OK, list.Body.ToJsonString());
        list.Body.AsArray().Select(x => x!["name"]!.GetValue<string>()).ShouldNotContain(p);
        get.Status.ShouldBe(HttpStatusCode.NotFound);
        get.Body["detail"]!.GetValue<string>().ShouldBe($"pipeline '{p}' not found");
        build.Status.ShouldBe(HttpStatusCode.NotFound);
        builds.Body["items"]!.AsArray().Select(b => b!["id"]!.GetValue<long>()).ShouldNotContain(trigger.Body["id"]!.GetValue<long>());
        destroy.Status.ShouldBe(HttpStatusCode.NotFound);
        (await host.Store.GetPipelineAsync(p)).ShouldNotBeNull();
    }

    [Fact]
    public async Task SetPipeline_PutsANewPipelineInTheTeamGiven_AndOnlyItsOwnerMovesIt()
    {
        var p = "team-" + Guid.NewGuid().ToString("N")[..8];
        var web = await host.TokenAsync($"web-{p}", "web:member");
        var webOwner = await host.TokenAsync($"web-owner-{p}", "web:owner", "ops:member");

        var inMain = await SendAsync(web, HttpMethod.Put, $"/api/v1/pipelines/{p}/config", new JsonObject { ["config"] = Pipelines.Greet });
        var inWeb = await SendAsync(web, HttpMethod.Put, $"/api/v1/pipelines/{p}/config", new JsonObject { ["config"] = Pipelines.Greet, ["team"] = "web" });
        var memberMoves = await SendAsync(web, HttpMethod.Put, $"/api/v1/pipelines/{p}/config", new JsonObject { ["config"] = Pipelines.Greet, ["team"] = "ops" });
        var ownerMoves = await SendAsync(webOwner, HttpMethod.Put, $"/api/v1/pipelines/{p}/config", new JsonObject { ["config"] = Pipelines.Greet, ["team"] = "ops" });

        inMain.Status.ShouldBe(HttpStatusCode.Forbidden);
        inMain.Body["detail"]!.GetValue<string>().ShouldBe($"web-{p} needs the member role in team main to set pipeline {p}");
        inWeb.Status.ShouldBe(HttpStatusCode.OK, inWeb.Body.ToJsonString());
        inWeb.Body["team"]!.GetValue<string>().ShouldBe("web");
        memberMoves.Status.ShouldBe(HttpStatusCode.Forbidden);
        memberMoves.Body["detail"]!.GetValue<string>().ShouldBe($"web-{p} needs the owner role in team web to move pipeline {p} to another team");
        ownerMoves.Status.ShouldBe(HttpStatusCode.OK, ownerMoves.Body.ToJsonString());
        (ownerMoves.Body["currentTeam"]!.GetValue<string>(), ownerMoves.Body["team"]!.GetValue<string>()).ShouldBe(("web", "ops"));
        (await host.GetJsonAsync($"/api/v1/pipelines/{p}"))["team"]!.GetValue<string>().ShouldBe("ops");
        (await SendAsync(web, HttpMethod.Get, $"/api/v1/pipelines/{p}")).Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("user")]
    [InlineData("team")]
    public async Task Approver_SeesThePipelineAndMayApprove_ButNothingMore_WhenNamedInApprovalFrom(string namedAs)
    {
        var p = "approved-" + Guid.NewGuid().ToString("N")[..8];
        var approver = $"approver-{p}";
        await host.SetPipelineAsync(p, Pipelines.ApprovedBy(namedAs == "user" ? approver : $"ops-{p}"));
        var token = await host.TokenAsync(approver, $"ops-{p}:viewer");
        var outsider = await host.TokenAsync($"outsider-{p}", "ops:viewer");

        var list = await SendAsync(token, HttpMethod.Get, "/api/v1/pipelines");
        var environments = await SendAsync(token, HttpMethod.Get, $"/api/v1/pipelines/{p}/environments");
        var approve = await SendAsync(token, HttpMethod.Post, $"/api/v1/pipelines/{p}/promotions/999999/approve");
        var trigger = await SendAsync(token, HttpMethod.Post, $"/api/v1/pipelines/{p}/jobs/unit/builds");
        var promote = await SendAsync(token, HttpMethod.Post, $"/api/v1/pipelines/{p}/environments/production/promotions");
        var stranger = await SendAsync(outsider, HttpMethod.Get, $"/api/v1/pipelines/{p}/environments");

        list.Status.ShouldBe(HttpStatusCode.OK, list.Body.ToJsonString());
        list.Body.AsArray().Select(x => x!["name"]!.GetValue<string>()).ShouldContain(p);
        environments.Status.ShouldBe(HttpStatusCode.OK);
        approve.Status.ShouldBe(HttpStatusCode.NotFound, "let in to approve: the promotion itself is what is missing");
        approve.Body["detail"]!.GetValue<string>().ShouldBe($"promotion 999999 not found in pipeline '{p}'");
        trigger.Status.ShouldBe(HttpStatusCode.Forbidden);
        trigger.Body["detail"]!.GetValue<string>().ShouldBe($"{approver} needs the operator role in team main to trigger jobs of pipeline {p}");
        promote.Status.ShouldBe(HttpStatusCode.Forbidden);
        stranger.Status.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RevokedToken_Gets401AtOnce_AndSoDoesARemovedUsersOther()
    {
        var name = "leaving-" + Guid.NewGuid().ToString("N")[..8];
        var first = await host.TokenAsync(name, "main:viewer");
        var second = (await host.Store.CreateApiTokenAsync(name, "second")).Token;
        (await SendAsync(first, HttpMethod.Get, "/api/v1/pipelines")).Status.ShouldBe(HttpStatusCode.OK);
        var mine = await SendAsync(first, HttpMethod.Get, "/api/v1/tokens");
        var firstId = mine.Body.AsArray().Min(t => t!["id"]!.GetValue<long>());

        var revoked = await SendAsync(first, HttpMethod.Delete, $"/api/v1/tokens/{firstId}");
        var afterRevoke = await SendAsync(first, HttpMethod.Get, "/api/v1/pipelines");
        var secondStill = await SendAsync(second, HttpMethod.Get, "/api/v1/pipelines");
        var removed = await SendAsync(host.AdminToken, HttpMethod.Delete, $"/api/v1/users/{name}");
        var afterRemove = await SendAsync(second, HttpMethod.Get, "/api/v1/pipelines");

        mine.Body.AsArray().Count.ShouldBe(2);
        mine.Body.ToJsonString().ShouldNotContain("ferry_");
        revoked.Status.ShouldBe(HttpStatusCode.NoContent);
        afterRevoke.Status.ShouldBe(HttpStatusCode.Unauthorized);
        afterRevoke.Body["detail"]!.GetValue<string>().ShouldContain("not a known API token (unknown or revoked)");
        secondStill.Status.ShouldBe(HttpStatusCode.OK);
        removed.Status.ShouldBe(HttpStatusCode.NoContent);
        afterRemove.Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await host.Store.GetUserAsync(name)).ShouldBeNull();
    }

    [Fact]
    public async Task Tokens_AreEachUsersOwn_UnlessAnOwnerAsks()
    {
        var name = "keeper-" + Guid.NewGuid().ToString("N")[..8];
        var keeper = await host.TokenAsync(name, "main:viewer");
        var other = await host.TokenAsync("other-" + name, "main:viewer");
        var othersId = (await SendAsync(other, HttpMethod.Get, "/api/v1/tokens")).Body.AsArray().Single()!["id"]!.GetValue<long>();

        var othersList = await SendAsync(keeper, HttpMethod.Get, $"/api/v1/tokens?user=other-{name}");
        var revokeOthers = await SendAsync(keeper, HttpMethod.Delete, $"/api/v1/tokens/{othersId}");
        var ownersList = await SendAsync(host.AdminToken, HttpMethod.Get, $"/api/v1/tokens?user=other-{name}");

        othersList.Status.ShouldBe(HttpStatusCode.Forbidden);
        revokeOthers.Status.ShouldBe(HttpStatusCode.NotFound);
        revokeOthers.Body["detail"]!.GetValue<string>().ShouldBe($"token {othersId} not found among the tokens of '{name}'");
        (await SendAsync(other, HttpMethod.Get, "/api/v1/whoami")).Status.ShouldBe(HttpStatusCode.OK);
        ownersList.Body.AsArray().Single()!["id"]!.GetValue<long>().ShouldBe(othersId);
    }

    [Fact]
    public async Task ListUsers_NeedsARole_AndTeamOwnersGiveRolesInTheirTeamOnly()
    {
        var name = "lead-" + Guid.NewGuid().ToString("N")[..8];
        var lead = await host.TokenAsync(name, "web:owner");
        var nobody = await host.TokenAsync("nobody-" + name);
        await host.TokenAsync("newcomer-" + name);

        var listed = await SendAsync(lead, HttpMethod.Get, "/api/v1/users");
        var notListed = await SendAsync(nobody, HttpMethod.Get, "/api/v1/users");
        var inWeb = await SendAsync(lead, HttpMethod.Put, $"/api/v1/users/newcomer-{name}/teams/web", new JsonObject { ["role"] = "operator" });
        var inMain = await SendAsync(lead, HttpMethod.Put, $"/api/v1/users/newcomer-{name}/teams/main");
        var saveUser = await SendAsync(lead, HttpMethod.Post, "/api/v1/users", new JsonObject { ["name"] = "made-by-" + name });

        listed.Status.ShouldBe(HttpStatusCode.OK);
        notListed.Status.ShouldBe(HttpStatusCode.Forbidden);
        notListed.Body["detail"]!.GetValue<string>().ShouldBe($"nobody-{name} needs a role in some team to list the users");
        inWeb.Status.ShouldBe(HttpStatusCode.OK, inWeb.Body.ToJsonString());
        inWeb.Body["roles"]!.AsArray().Single()!["role"]!.GetValue<string>().ShouldBe("operator");
        inMain.Status.ShouldBe(HttpStatusCode.Forbidden);
        inMain.Body["detail"]!.GetValue<string>().ShouldBe($"giving 'newcomer-{name}' a role in team main: {name} needs the owner role in team main");
        saveUser.Status.ShouldBe(HttpStatusCode.Forbidden);
    }

    private async Task<string> NewPipelineAsync(string yaml)
    {
        var name = "authz-" + Guid.NewGuid().ToString("N")[..8];
        await host.SetPipelineAsync(name, yaml);
        return name;
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(string token, HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : FerryHost.Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await host.Anonymous.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }
}
