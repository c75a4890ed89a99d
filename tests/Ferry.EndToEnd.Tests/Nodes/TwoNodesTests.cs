using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Nodes;

/// <summary>
/// Two real `ferry server` processes on one PostgreSQL, given the same master key and the same node name (two servers
/// on one host): they share the secrets key and the UI's keys, each is its own node, and when one is killed the other
/// ends its build within the heartbeat timeout, naming it.
/// </summary>
public sealed partial class TwoNodesTests
{
    private const string Slow = """
        jobs:
          - name: slow
            plan:
              - task: wait
                config:
                  platform: linux
                  run: { path: sh, args: [-c, "echo waiting; sleep 300"] }
        """;

    private const string Secret = """
        jobs:
          - name: check
            plan:
              - task: compare
                config:
                  platform: linux
                  params: { TOKEN: ((token)) }
                  run: { path: sh, args: [-c, "test \"$TOKEN\" = s3cr3t-value && echo the secret opened"] }
        """;

    [Fact]
    public async Task KilledNode_HasItsBuildEndedByTheOther_WhichOpensItsSecretsAndAcceptsItsForms()
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        var keyFile = await NodeSetup.MasterKeyFileAsync();
        string[] node = ["--master-key-file", keyFile, "--node-name", "same-host"];
        await using var first = await FerryServer.StartAsync(database, false, node);
        await using var second = await FerryServer.JoinAsync(first, node);
        using var firstApi = first.NewApi();
        using var secondApi = second.NewApi();
        var ids = (await secondApi.GetAsync("nodes")).AsArray().Where(n => (bool)n!["live"]!).Select(n => (string)n!["id"]!).ToList();
        ids.Count.ShouldBe(2, "both nodes are live, with ids of their own though their names are the same");

        var slowFile = Path.Combine(first.DataDirectory, "slow.yml");
        await File.WriteAllTextAsync(slowFile, Slow);
        (await first.CliAsync("set-pipeline", "-p", "slow", "-c", slowFile, "--yes")).ExitCode.ShouldBe(0);
        (await first.CliAsync("trigger", "-j", "slow/slow")).ExitCode.ShouldBe(0);
        JsonNode? running = null;
        await FerryApi.EventuallyAsync(async () =>
        {
            running = (await firstApi.BuildsAsync("slow", "slow")).FirstOrDefault(b => (string)b["status"]! == "started");
            return running is not null;
        }, "the slow build to start on one of the nodes", first);
        var claimedBy = (string)running!["claimedBy"]!;
        var (victim, survivor) = await IsNodeAsync(first, claimedBy) ? (first, second) : (second, first);
        using var survivorApi = survivor.NewApi();
        // A log followed on one node shows the build running on the other, as it runs.
        (await survivorApi.StreamShowsAsync((long)running!["id"]!, "waiting", TimeSpan.FromSeconds(30))).ShouldBeTrue("the survivor streams the victim's build");

        // What the victim seals (a pipeline's secret var) and renders (a form's antiforgery token), the survivor opens.
        var secretFile = Path.Combine(victim.DataDirectory, "secret.yml");
        await File.WriteAllTextAsync(secretFile, Secret);
        (await victim.CliAsync("set-pipeline", "-p", "secret", "-c", secretFile, "--secret-var", "token=s3cr3t-value", "--yes")).ExitCode.ShouldBe(0);
        await PauseWithTheFormOfAsync(victim, survivor, "secret");

        await victim.KillAsync();
        var killedAt = DateTime.UtcNow;
        var slowId = (long)running!["id"]!;
        JsonNode ended = null!;
        await FerryApi.EventuallyAsync(async () =>
        {
            ended = (await survivorApi.GetAsync($"builds/{slowId}"))["build"]!;
            return (string)ended["status"]! != "started";
        }, "the survivor to end the killed node's build", survivor, TimeSpan.FromSeconds(40));
        (DateTime.UtcNow - killedAt).ShouldBeLessThan(TimeSpan.FromSeconds(30));
        ((string)ended["status"]!).ShouldBe("errored");
        ((string)ended["reason"]!).ShouldContain($"the server node same-host ({claimedBy}) running this build stopped answering");
        var nodes = (await survivorApi.GetAsync("nodes")).AsArray();
        nodes.Single(n => (string)n!["id"]! == claimedBy)!["stopReason"]!.GetValue<string>().ShouldBe("its heartbeat stopped");

        (await survivor.CliAsync("unpause-pipeline", "-p", "secret")).ExitCode.ShouldBe(0);
        var check = await survivor.CliAsync(TimeSpan.FromSeconds(90), "trigger", "-j", "secret/check", "--watch");
        check.ExitCode.ShouldBe(0, check.ToString());
        check.Output.ShouldContain("the secret opened");
    }

    private static async Task<bool> IsNodeAsync(FerryServer server, string id) =>
        (string)(await server.NewApi().GetAsync("info"))["nodeId"]! == id;

    /// <summary>Loads a pipeline page from one node and sends its antiforgery token (and cookie) to the other.</summary>
    private static async Task PauseWithTheFormOfAsync(FerryServer renderer, FerryServer receiver, string pipeline)
    {
        // Cookies for 127.0.0.1 go to every port: the antiforgery cookie the renderer set reaches the receiver.
        var cookies = new CookieContainer();
        cookies.Add(new Uri(renderer.Url), new Cookie("ferry_token", renderer.AdminToken));
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies });
        var page = await client.GetStringAsync($"{renderer.Url}/pipelines/{pipeline}");
        var antiforgery = WebUtility.HtmlDecode(TokenInput().Match(page).Groups["token"].Value);
        antiforgery.ShouldNotBeEmpty("the page's forms carry an antiforgery token");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{receiver.Url}/api/v1/pipelines/{pipeline}/pause");
        request.Headers.Add("RequestVerificationToken", antiforgery);

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var paused = await receiver.NewApi().GetAsync($"pipelines/{pipeline}");
        ((bool)paused["paused"]!).ShouldBeTrue(string.Create(CultureInfo.InvariantCulture, $"{paused}"));
    }

    [GeneratedRegex("""name="__RequestVerificationToken" value="(?<token>[^"]+)" """)]
    private static partial Regex TokenInput();
}
