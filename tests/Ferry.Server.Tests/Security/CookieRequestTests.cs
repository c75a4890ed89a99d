using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ferry.Server.Tests.Security;

/// <summary>
/// Cross-site request forgery on the API: a state-changing request signed in only by the web UI's cookie needs
/// Ferry's antiforgery token or a same-origin Origin; bearer tokens are not affected.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class CookieRequestTests(FerryHost host)
{
    [Theory]
    [InlineData(null)]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    public async Task Put_IsRefusedWith403_WhenOnlyTheCookieSignsItIn(string? origin)
    {
        await host.SetPipelineAsync("forged", Pipelines.Hello);
        var token = await TokenAsync("forgery-victim");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/pipelines/forged/pause");
        request.Headers.Add("Cookie", $"ferry_token={token}");
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await host.Anonymous.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>().ShouldContain("antiforgery token");
        (await host.Store.GetPipelineAsync("forged"))!.Paused.ShouldBeFalse();
    }

    [Fact]
    public async Task Put_IsAccepted_WhenTheCookieComesWithTheServersOwnOrigin()
    {
        await host.SetPipelineAsync("same-origin", Pipelines.Hello);
        var token = await TokenAsync("same-origin-user");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/pipelines/same-origin/pause");
        request.Headers.Add("Cookie", $"ferry_token={token}");
        request.Headers.Add("Origin", host.Url.GetLeftPart(UriPartial.Authority));

        using var response = await host.Anonymous.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await host.Store.GetPipelineAsync("same-origin"))!.Paused.ShouldBeTrue();
    }

    [Fact]
    public async Task Put_IsAccepted_WhenTheCookieComesWithTheAntiforgeryTokenOfAFerryPage()
    {
        await host.SetPipelineAsync("with-token", Pipelines.Hello);
        var token = await TokenAsync("antiforgery-user");
        var cookies = new CookieContainer();
        cookies.Add(host.Url, new Cookie("ferry_token", token));
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = host.Url };
        var page = await client.GetStringAsync("/pipelines/with-token");
        var antiforgery = WebUtility.HtmlDecode(TokenInput().Match(page).Groups["token"].Value);
        antiforgery.ShouldNotBeEmpty("the page's forms carry an antiforgery token");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/pipelines/with-token/pause");
        request.Headers.Add("RequestVerificationToken", antiforgery);

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await host.Store.GetPipelineAsync("with-token"))!.Paused.ShouldBeTrue();
    }

    [Fact]
    public async Task Put_IsAccepted_WhenABearerTokenSignsItIn_WithoutAnyOrigin()
    {
        await host.SetPipelineAsync("bearer", Pipelines.Hello);
        var token = await TokenAsync("bearer-user");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/pipelines/bearer/pause");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Cookie", $"ferry_token={token}");

        using var response = await host.Anonymous.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await host.Store.GetPipelineAsync("bearer"))!.Paused.ShouldBeTrue();
    }

    [Fact]
    public async Task Get_IsAnswered_WhenOnlyTheCookieSignsItIn()
    {
        var token = await TokenAsync("cookie-reader");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/whoami");
        request.Headers.Add("Cookie", $"ferry_token={token}");

        using var response = await host.Anonymous.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["name"]!.GetValue<string>().ShouldBe("cookie-reader");
    }

    private async Task<string> TokenAsync(string user)
    {
        await host.Store.UpsertUserAsync(user, owner: true, []);
        return (await host.Store.CreateApiTokenAsync(user)).Token;
    }

    [GeneratedRegex("""name="__RequestVerificationToken" value="(?<token>[^"]+)" """)]
    private static partial Regex TokenInput();
}
