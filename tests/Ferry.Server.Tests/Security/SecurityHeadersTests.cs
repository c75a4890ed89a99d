using System.Net;
using System.Text.RegularExpressions;

namespace Ferry.Server.Tests.Security;

/// <summary>Every response carries the security headers, and the UI's pages need nothing the content security policy forbids.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class SecurityHeadersTests(FerryHost host)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/sign-in")]
    [InlineData("/no-such-page")]
    [InlineData("/api/v1/info")]
    [InlineData("/api/v1/pipelines/ghost")]
    [InlineData("/openapi/v1.json")]
    public async Task Get_CarriesTheSecurityHeaders_OnEveryKindOfResponse(string path)
    {
        using var response = await host.Http.GetAsync(path);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("default-src 'none'");
        csp.ShouldContain("script-src 'self'");
        csp.ShouldContain("style-src 'self'");
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldNotContain("unsafe-inline");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("X-Frame-Options").Single().ShouldBe("DENY");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("same-origin");
    }

    [Fact]
    public async Task Asset_CarriesTheSecurityHeaders()
    {
        var page = await host.Http.GetStringAsync("/");
        var script = ScriptSource().Match(page).Groups["src"].Value;

        using var response = await host.Http.GetAsync(script);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/sign-in")]
    [InlineData("/pipelines/headers")]
    [InlineData("/pipelines/headers/jobs/unit")]
    public async Task Page_HasNoInlineScriptOrStyle_SoThePolicyBlocksNothingOfFerrys(string path)
    {
        await host.SetPipelineAsync("headers", Pipelines.Hello);

        var page = await host.Http.GetStringAsync(path);

        foreach (Match script in Regex.Matches(page, "<script(?<attributes>[^>]*)>"))
        {
            script.Groups["attributes"].Value.ShouldContain("src=\"/ui/", customMessage: $"{path}: only Ferry's own script files, no inline script");
        }
        page.ShouldNotContain("<style", Case.Insensitive);
        page.ShouldNotContain(" style=", Case.Insensitive);
        Regex.IsMatch(page, @"\son[a-z]+=""", RegexOptions.IgnoreCase).ShouldBeFalse($"{path}: no inline event handler attributes");
        foreach (Match link in Regex.Matches(page, "<link[^>]*href=\"(?<href>[^\"]+)\""))
        {
            link.Groups["href"].Value.ShouldStartWith("/ui/", customMessage: $"{path}: only Ferry's own stylesheets");
        }
    }

    [GeneratedRegex("""<script src="(?<src>[^"]+)" """)]
    private static partial Regex ScriptSource();
}
