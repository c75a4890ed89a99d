using System.Net;
using System.Text.Json.Nodes;

namespace Ferry.Server.Tests.Security;

/// <summary>Requests naming a host Ferry does not answer to (DNS rebinding) are refused; the listen and external URL's hosts are not.</summary>
[Collection(ServerCollection.Name)]
public sealed class HostHeaderTests(FerryHost host)
{
    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:{port}")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("10.1.2.3")]
    public async Task Get_IsRefusedWith421_WhenTheHostIsNotTheServers(string hostHeader)
    {
        using var response = await SendAsync(host.Http, HttpMethod.Get, "/api/v1/info", hostHeader.Replace("{port}", host.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

        response.StatusCode.ShouldBe(HttpStatusCode.MisdirectedRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["detail"]!.GetValue<string>().ShouldContain("does not answer to");
        problem["detail"]!.GetValue<string>().ShouldContain("--external-url");
        response.Headers.GetValues("Content-Security-Policy").ShouldNotBeEmpty("a refusal carries the security headers too");
    }

    [Fact]
    public async Task Post_IsRefusedBeforeAnythingChanges_WhenTheHostIsNotTheServers()
    {
        await host.SetPipelineAsync("rebound", Pipelines.Hello);

        using var response = await SendAsync(host.Http, HttpMethod.Put, "/api/v1/pipelines/rebound/pause", "rebinding.example");

        response.StatusCode.ShouldBe(HttpStatusCode.MisdirectedRequest);
        (await host.Store.GetPipelineAsync("rebound"))!.Paused.ShouldBeFalse();
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("[::1]")]
    public async Task Get_Answers_WhenTheHostIsALoopbackNameOfTheLoopbackListener(string name)
    {
        using var response = await SendAsync(host.Http, HttpMethod.Get, "/api/v1/info", $"{name}:{host.Url.Port}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Get_AnswersTheExternalUrlsHost_AndRefusesOthers_WhenStartedWithExternalUrl()
    {
        var server = await FerryHost.StartAsync(o => o with { ExternalUrl = "https://ferry.example.com" });
        try
        {
            using var external = await SendAsync(server.Http, HttpMethod.Get, "/api/v1/info", "ferry.example.com");
            using var listen = await SendAsync(server.Http, HttpMethod.Get, "/api/v1/info", $"127.0.0.1:{server.Url.Port}");
            using var other = await SendAsync(server.Http, HttpMethod.Get, "/api/v1/info", "ferry.example.org");

            external.StatusCode.ShouldBe(HttpStatusCode.OK);
            listen.StatusCode.ShouldBe(HttpStatusCode.OK);
            other.StatusCode.ShouldBe(HttpStatusCode.MisdirectedRequest);
            (await other.Content.ReadAsStringAsync()).ShouldContain("ferry.example.com");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string hostHeader)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Host = hostHeader;
        return await client.SendAsync(request);
    }
}
