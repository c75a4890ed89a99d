using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Tests;

/// <summary>Servers of their own, from an empty data directory: the first owner and its token file; --insecure-no-auth.</summary>
public sealed class FirstStartTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "ferry-first-start-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task FirstStart_WritesTheOwnersTokenTo0600File_AndALaterStartKeepsIt()
    {
        string token;
        await using (var app = await StartAsync(insecure: false))
        {
            var file = Path.Combine(_data, "admin-token");
            token = (await File.ReadAllTextAsync(file)).Trim();
            if (!OperatingSystem.IsWindows())
            {
                File.GetUnixFileMode(file).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            var me = await GetAsync(app, "/api/v1/whoami", token);
            (me.Status, me.Body["name"]!.GetValue<string>(), me.Body["owner"]!.GetValue<bool>()).ShouldBe((HttpStatusCode.OK, "admin", true));
            var removed = await SendAsync(app, HttpMethod.Delete, "/api/v1/users/admin", token);
            removed.Status.ShouldBe(HttpStatusCode.Conflict);
            removed.Body["detail"]!.GetValue<string>().ShouldBe("admin cannot be removed: admin is the only owner (make another owner first)");
            await app.StopAsync();
        }

        await using var again = await StartAsync(insecure: false);
        (await File.ReadAllTextAsync(Path.Combine(_data, "admin-token"))).Trim().ShouldBe(token);
        var users = await GetAsync(again, "/api/v1/users", token);
        users.Body.AsArray().Select(u => u!["name"]!.GetValue<string>()).ShouldBe(["admin"]);
        var tokens = await GetAsync(again, "/api/v1/tokens", token);
        tokens.Body.AsArray().Count.ShouldBe(1);
        await again.StopAsync();
    }

    [Fact]
    public async Task InsecureNoAuth_LetsAnonymousInAsAnOwner_AndEveryPageSaysSo()
    {
        await using var app = await StartAsync(insecure: true);

        var me = await GetAsync(app, "/api/v1/whoami", null);
        var pipelines = await GetAsync(app, "/api/v1/pipelines", null);
        var bad = await GetAsync(app, "/api/v1/pipelines", "ferry_not-a-token");
        using var http = new HttpClient { BaseAddress = new Uri(FerryServer.Addresses(app).First()) };
        var page = await http.GetStringAsync("/");

        (me.Status, me.Body["name"]!.GetValue<string>(), me.Body["owner"]!.GetValue<bool>()).ShouldBe((HttpStatusCode.OK, "anonymous", true));
        pipelines.Status.ShouldBe(HttpStatusCode.OK);
        bad.Status.ShouldBe(HttpStatusCode.Unauthorized, "a wrong token is refused even here");
        page.ShouldContain("data-insecure");
        page.ShouldContain("--insecure-no-auth");
        await app.StopAsync();
    }

    private async Task<WebApplication> StartAsync(bool insecure)
    {
        var app = await FerryServer.BuildAsync(new ServerOptions
        {
            DataDirectory = _data,
            Listen = "http://127.0.0.1:0",
            LogLevel = LogLevel.Warning,
            SeedExample = false,
            RunLoops = false,
            InsecureNoAuth = insecure,
        });
        await app.StartAsync();
        return app;
    }

    private static Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(WebApplication app, string path, string? token) =>
        SendAsync(app, HttpMethod.Get, path, token);

    private static async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(WebApplication app, HttpMethod method, string path, string? token)
    {
        using var http = new HttpClient { BaseAddress = new Uri(FerryServer.Addresses(app).First()) };
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Left for the system's temp cleaning.
        }
    }
}
