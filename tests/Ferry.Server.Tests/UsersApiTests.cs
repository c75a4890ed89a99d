using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Ferry.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class UsersApiTests(FerryHost host)
{
    [Fact]
    public async Task WhoAmI_AnswersTheFirstOwner_WithTheTokenTheFirstStartWrote()
    {
        var me = await host.GetJsonAsync("/api/v1/whoami");

        me["name"]!.GetValue<string>().ShouldBe("admin");
        me["owner"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task WhoAmI_AnswersTheTokensUser_WhenBearerTokenIsValid()
    {
        await host.Store.UpsertUserAsync("bearer-ann", owner: true, ["ops", "dev"]);
        var token = await host.Store.CreateApiTokenAsync("bearer-ann", "laptop");

        var me = await SendAsync(HttpMethod.Get, "/api/v1/whoami", token.Token);

        me.Status.ShouldBe(HttpStatusCode.OK, me.Body.ToJsonString());
        me.Body["name"]!.GetValue<string>().ShouldBe("bearer-ann");
        me.Body["teams"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["dev", "ops"]);
        me.Body["owner"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task WhoAmI_AnswersTheCookiesUser_WhenSignedInWithCookie()
    {
        await host.Store.UpsertUserAsync("cookie-cat", owner: false, []);
        var token = await host.Store.CreateApiTokenAsync("cookie-cat");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/whoami");
        request.Headers.Add("Cookie", $"ferry_token={token.Token}");

        using var response = await host.Anonymous.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["name"]!.GetValue<string>().ShouldBe("cookie-cat");
    }

    [Theory]
    [InlineData("ferry_not-a-token-anyone-made")]
    [InlineData("revoked")]
    public async Task AnyApiRoute_Returns401Problem_WhenTokenIsUnknownOrRevoked(string token)
    {
        if (token == "revoked")
        {
            await host.Store.UpsertUserAsync("revoked-rob", owner: true, []);
            var made = await host.Store.CreateApiTokenAsync("revoked-rob");
            (await host.Store.RevokeApiTokenAsync(made.Id)).ShouldBeTrue();
            token = made.Token;
        }

        foreach (var path in new[] { "/api/v1/whoami", "/api/v1/pipelines", "/api/v1/users" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await host.Anonymous.SendAsync(request);

            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, path);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            problem["status"]!.GetValue<int>().ShouldBe(401);
            problem["detail"]!.GetValue<string>().ShouldContain("not a known API token (unknown or revoked)");
        }
    }

    [Fact]
    public async Task SaveUser_Returns403Problem_WhenNotAnOwner()
    {
        await host.Store.UpsertUserAsync("plain-pat", owner: false, []);
        var token = await host.Store.CreateApiTokenAsync("plain-pat");
        var body = new JsonObject { ["name"] = "made-by-pat" };

        var anonymous = await SendAsync(HttpMethod.Post, "/api/v1/users", null, body);
        var plain = await SendAsync(HttpMethod.Post, "/api/v1/users", token.Token, body);

        anonymous.Status.ShouldBe(HttpStatusCode.Unauthorized);
        plain.Status.ShouldBe(HttpStatusCode.Forbidden);
        plain.Body["detail"]!.GetValue<string>().ShouldBe("saving user 'made-by-pat': plain-pat is not an owner: only owners add, change and remove users");
        plain.Body["title"]!.GetValue<string>().ShouldBe("Forbidden");
        (await host.Store.GetUserAsync("made-by-pat")).ShouldBeNull();
    }

    [Fact]
    public async Task SaveUserAndCreateToken_MakeAUserWhoCanSignIn_WhenAnOwnerAsks()
    {
        await host.Store.UpsertUserAsync("owner-olga", owner: true, []);
        var owner = await host.Store.CreateApiTokenAsync("owner-olga");

        var saved = await SendAsync(HttpMethod.Post, "/api/v1/users", owner.Token,
            new JsonObject { ["name"] = "new-nina", ["owner"] = false, ["teams"] = new JsonArray("qa") });
        var token = await SendAsync(HttpMethod.Post, "/api/v1/users/new-nina/tokens", owner.Token, new JsonObject { ["label"] = "ci" });

        saved.Status.ShouldBe(HttpStatusCode.Created, saved.Body.ToJsonString());
        saved.Body["teams"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe(["qa"]);
        token.Status.ShouldBe(HttpStatusCode.Created, token.Body.ToJsonString());
        token.Body["user"]!.GetValue<string>().ShouldBe("new-nina");
        var me = await SendAsync(HttpMethod.Get, "/api/v1/whoami", token.Body["token"]!.GetValue<string>());
        me.Body["name"]!.GetValue<string>().ShouldBe("new-nina");
        var list = await host.GetJsonAsync("/api/v1/users");
        list.AsArray().Select(u => u!["name"]!.GetValue<string>()).ShouldContain("new-nina");
        list.ToJsonString().ShouldNotContain("ferry_");
    }

    [Fact]
    public async Task CreateToken_LetsUsersMakeTheirOwnOnly_WhenNotAnOwner()
    {
        await host.Store.UpsertUserAsync("self-sam", owner: false, []);
        await host.Store.UpsertUserAsync("other-oz", owner: false, []);
        var sam = await host.Store.CreateApiTokenAsync("self-sam");

        var own = await SendAsync(HttpMethod.Post, "/api/v1/users/self-sam/tokens", sam.Token);
        var other = await SendAsync(HttpMethod.Post, "/api/v1/users/other-oz/tokens", sam.Token);
        var anonymous = await SendAsync(HttpMethod.Post, "/api/v1/users/other-oz/tokens", null);

        own.Status.ShouldBe(HttpStatusCode.Created);
        own.Body["token"]!.GetValue<string>().ShouldNotBe(sam.Token);
        other.Status.ShouldBe(HttpStatusCode.Forbidden);
        other.Body["detail"]!.GetValue<string>().ShouldBe("creating a token for 'other-oz': only an owner or 'other-oz' themselves may (you are 'self-sam')");
        anonymous.Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("anonymous", "name")]
    [InlineData("two words", "name")]
    public async Task SaveUser_Returns400NamingField_WhenNameIsReservedOrInvalid(string name, string field)
    {
        await host.Store.UpsertUserAsync("owner-ora", owner: true, []);
        var owner = await host.Store.CreateApiTokenAsync("owner-ora");

        var saved = await SendAsync(HttpMethod.Post, "/api/v1/users", owner.Token, new JsonObject { ["name"] = name });

        saved.Status.ShouldBe(HttpStatusCode.BadRequest);
        saved.Body["field"]!.GetValue<string>().ShouldBe(field);
    }

    [Fact]
    public async Task CreateToken_Returns404_WhenUserIsUnknown()
    {
        await host.Store.UpsertUserAsync("owner-otto", owner: true, []);
        var owner = await host.Store.CreateApiTokenAsync("owner-otto");

        var token = await SendAsync(HttpMethod.Post, "/api/v1/users/ghost-gus/tokens", owner.Token);

        token.Status.ShouldBe(HttpStatusCode.NotFound);
        token.Body["detail"]!.GetValue<string>().ShouldBe("user 'ghost-gus' not found");
    }

    [Fact]
    public async Task CreateToken_Returns400_WhenBodyIsNotJson()
    {
        await host.Store.UpsertUserAsync("json-jo", owner: false, []);
        var jo = await host.Store.CreateApiTokenAsync("json-jo");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/users/json-jo/tokens")
        {
            Content = new StringContent("{label", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", jo.Token);

        using var response = await host.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["field"]!.GetValue<string>().ShouldBe("body");
    }

    [Fact]
    public async Task SetPipeline_RecordsTheUserAsCreator_WhenSentWithAToken()
    {
        var token = await host.TokenAsync("setter-sue", "main:member");

        var set = await SendAsync(HttpMethod.Put, "/api/v1/pipelines/set-by-sue/config", token, new JsonObject { ["config"] = Pipelines.Hello });

        set.Status.ShouldBe(HttpStatusCode.OK, set.Body.ToJsonString());
        (await host.GetJsonAsync("/api/v1/pipelines/set-by-sue"))["configSetBy"]!.GetValue<string>().ShouldBe("setter-sue");
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? token, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = FerryHost.Json(body);
        }
        using var response = await host.Anonymous.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }
}
