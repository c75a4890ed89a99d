using System.Net;
using System.Text.RegularExpressions;

namespace Ferry.Server.Tests;

/// <summary>The web UI as plain HTTP sees it: 404 pages, antiforgery on its forms, its embedded assets. Browser tests are in Ferry.EndToEnd.Tests/Ui.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class UiTests(FerryHost host)
{
    [Theory]
    [InlineData("/no-such-page")]
    [InlineData("/pipelines/ghost")]
    [InlineData("/pipelines/present/jobs/ghost")]
    [InlineData("/pipelines/present/resources/ghost")]
    [InlineData("/builds/999999")]
    public async Task Get_RendersTheNotFoundPage_WhenNothingIsThere(string path)
    {
        await host.SetPipelineAsync("present", Pipelines.Hello);

        using var response = await host.Http.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("<h1>Not found</h1>");
        html.ShouldContain($"<code>{path}</code>");
    }

    [Fact]
    public async Task Get_KeepsApiProblems_WhenAnApiRouteIsUnknown()
    {
        using var response = await host.Http.GetAsync("/api/v1/no-such-route");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task Post_IsRefused_WhenTheFormHasNoAntiforgeryToken()
    {
        await host.SetPipelineAsync("unguarded", Pipelines.Hello);
        using var client = NewClient();

        using var response = await client.PostAsync("/pipelines/unguarded",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "pause", ["paused"] = "true" }));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("without a valid antiforgery token");
        (await host.Store.GetPipelineAsync("unguarded"))!.Paused.ShouldBeFalse();
    }

    [Fact]
    public async Task Post_PausesAndRedirects_WhenTheFormCarriesTheTokenOfItsPage()
    {
        await host.SetPipelineAsync("guarded", Pipelines.Hello);
        using var client = NewClient();
        var page = await client.GetStringAsync("/pipelines/guarded");
        var token = TokenInput().Match(page).Groups["token"].Value;
        token.ShouldNotBeEmpty("the page's forms carry an antiforgery token");

        using var response = await client.PostAsync("/pipelines/guarded", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "pause",
            ["paused"] = "true",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldEndWith("/pipelines/guarded");
        (await host.Store.GetPipelineAsync("guarded"))!.Paused.ShouldBeTrue();
    }

    [Fact]
    public async Task Asset_IsServedFromTheAssembly_AndCachedByItsHash()
    {
        var page = await host.Http.GetStringAsync("/");
        var href = StylesheetLink().Match(page).Groups["href"].Value;
        href.ShouldStartWith("/ui/ferry.css?v=");

        using var response = await host.Http.GetAsync(href);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().ShouldBe("text/css; charset=utf-8");
        response.Headers.CacheControl!.ToString().ShouldContain("immutable");
        (await response.Content.ReadAsStringAsync()).ShouldContain(".graph");

        using var again = new HttpRequestMessage(HttpMethod.Get, href);
        again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        using var notModified = await host.Http.SendAsync(again);
        notModified.StatusCode.ShouldBe(HttpStatusCode.NotModified);
    }

    [Fact]
    public async Task SignIn_SetsAnHttpOnlyStrictCookie_AndTheHeaderNamesTheUser()
    {
        await host.Store.UpsertUserAsync("carol", owner: false, ["ops"]);
        var token = (await host.Store.CreateApiTokenAsync("carol")).Token;
        using var client = NewClient(signedIn: false);
        var page = await client.GetStringAsync("/sign-in");

        using var response = await client.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["token"] = token,
            ["returnUrl"] = "https://elsewhere.example/",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenInput().Match(page).Groups["token"].Value),
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        new Uri(host.Url, response.Headers.Location!).ShouldBe(new Uri(host.Url, "/"), "only a path on this server is a place to return to");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ferry_token=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=strict", Case.Insensitive);
        (await client.GetStringAsync("/")).ShouldContain("signed in as <strong>carol</strong>");
    }

    [Fact]
    public async Task SignIn_RefusesAnUnknownToken_WithoutACookie()
    {
        using var client = NewClient(signedIn: false);
        var page = await client.GetStringAsync("/sign-in");

        using var response = await client.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["token"] = "ferry_not-a-token",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenInput().Match(page).Groups["token"].Value),
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await response.Content.ReadAsStringAsync()).ShouldContain("not a known API token");
        response.Headers.TryGetValues("Set-Cookie", out var cookies);
        (cookies ?? []).ShouldNotContain(c => c.StartsWith("ferry_token=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/", "%2F")]
    [InlineData("/pipelines/present?x=1", "%2Fpipelines%2Fpresent%3Fx%3D1")]
    [InlineData("/no-such-page", "%2Fno-such-page")]
    public async Task Get_SendsAnonymousToTheSignInPage_WithTheWayBack(string path, string back)
    {
        using var client = NewClient(signedIn: false);

        using var response = await client.GetAsync(path);
        var signIn = await client.GetAsync(response.Headers.Location);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe($"/sign-in?returnUrl={back}");
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await signIn.Content.ReadAsStringAsync()).ShouldContain("<h1>Sign in</h1>");
    }

    [Fact]
    public async Task Post_ChangesNothing_AndAsksToSignIn_WhenTheCookiesTokenWasRevoked()
    {
        await host.SetPipelineAsync("revoked-cookie", Pipelines.Hello);
        var token = await host.Store.CreateApiTokenAsync("admin", "browser");
        var cookies = new CookieContainer();
        cookies.Add(host.Url, new Cookie("ferry_token", token.Token));
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = host.Url };
        var page = await client.GetStringAsync("/pipelines/revoked-cookie");
        (await host.Store.RevokeApiTokenAsync(token.Id)).ShouldBeTrue();

        using var response = await client.PostAsync("/pipelines/revoked-cookie", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "pause",
            ["paused"] = "true",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenInput().Match(page).Groups["token"].Value),
        }));

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.ShouldBe("/sign-in?returnUrl=%2Fpipelines%2Frevoked-cookie&expired=true");
        cookies.GetCookies(host.Url)["ferry_token"].ShouldBeNull("the revoked token's cookie is deleted");
        (await host.Store.GetPipelineAsync("revoked-cookie"))!.Paused.ShouldBeFalse();
    }

    /// <summary>A browser-like client: cookies, no redirects followed; signed in (the admin's cookie) unless <paramref name="signedIn"/> is false.</summary>
    private HttpClient NewClient(bool signedIn = true)
    {
        var cookies = new CookieContainer();
        if (signedIn)
        {
            cookies.Add(host.Url, new Cookie("ferry_token", host.AdminToken));
        }
        return new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = host.Url };
    }

    [GeneratedRegex("""name="__RequestVerificationToken" value="(?<token>[^"]+)" """)]
    private static partial Regex TokenInput();

    [GeneratedRegex("""<link rel="stylesheet" href="(?<href>[^"]+)" """)]
    private static partial Regex StylesheetLink();
}
