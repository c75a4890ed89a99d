using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Core.Versions;
using Ferry.Storage;

namespace Ferry.Server.Tests;

/// <summary>
/// The dashboard as plain HTTP sees it: each pipeline's environments in promotion order with their release, status,
/// hold and approvals awaited; its filter (a GET form); and the change notices live pages follow (/api/v1/events).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class DashboardTests(FerryHost host)
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
            deploy: [{ task: deploy, config: { platform: linux, run: { path: "true" } } }]
          - name: staging
            from: [development]
            deploy: [{ task: deploy, config: { platform: linux, run: { path: "true" } } }]
          - name: production
            from: [staging]
            promote: manual
            approval: { required: 1, from: [ops] }
            deploy: [{ task: deploy, config: { platform: linux, run: { path: "true" } } }]
        """;

    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    /// <summary>r1 verified in development and staging, staging held, production awaiting approval of r1.</summary>
    private async Task<string> PipelineInFlightAsync()
    {
        var name = "dash-" + Guid.NewGuid().ToString("N")[..8];
        await host.SetPipelineAsync(name, Yaml);
        var pipeline = (await host.Store.GetPipelineAsync(name))!;
        var app = (await host.Store.GetResourceAsync(pipeline.Id, "app"))!;
        var saved = await host.Store.SaveVersionsAsync(app.Id, [new ResourceVersion(new Dictionary<string, string> { ["ref"] = "c0ffee1" }, [])]);
        await host.Store.SaveReleaseAsync(pipeline.Id, [new ReleaseVersionInput(app.Id, saved[0].Id)]);
        foreach (var environment in new[] { "development", "staging" })
        {
            var created = await PostAsync($"/api/v1/pipelines/{name}/environments/{environment}/promotions", new JsonObject());
            await Ferry.Tests.Shared.PromotionBuildsDone.SucceedAsync(host.Store, created["id"]!.GetValue<long>());
        }
        (await PostAsync($"/api/v1/pipelines/{name}/environments/production/promotions", new JsonObject()))["status"]!.GetValue<string>()
            .ShouldBe("awaiting_approval");
        using var hold = await host.Http.PutAsync($"/api/v1/pipelines/{name}/environments/staging/hold", FerryHost.Json(new JsonObject { ["reason"] = "db migration" }));
        hold.IsSuccessStatusCode.ShouldBeTrue(await hold.Content.ReadAsStringAsync());
        return name;
    }

    private async Task<JsonNode> PostAsync(string path, JsonNode body)
    {
        using var response = await host.Http.PostAsync(path, FerryHost.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private static string Card(string html, string pipeline)
    {
        var start = html.IndexOf($"data-pipeline=\"{pipeline}\"", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, $"the dashboard shows pipeline {pipeline}");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task Dashboard_ShowsEnvironmentsInOrder_WithReleaseStatusAgeHoldAndAwaitingApproval()
    {
        var p = await PipelineInFlightAsync();

        var card = Card(await host.Http.GetStringAsync("/"), p);

        var tiles = Tile().Matches(card).Select(m => (m.Groups["name"].Value, m.Groups["status"].Value, m.Groups["release"].Value)).ToList();
        tiles.ShouldBe([("development", "succeeded", "r1"), ("staging", "succeeded", "r1"), ("production", "awaiting_approval", "")]);
        card.ShouldContain("data-hold-reason>a hold (db migration)</span>");
        card.ShouldContain("<strong>r1</strong> awaits approval: 0 of 1 from ops");
        card.ShouldContain("must approve", Case.Sensitive, "the title says who must approve, as explain does");
        card.ShouldContain("data-age");
        card.ShouldContain("data-job=\"unit\"", Case.Sensitive, "jobs are shown as before");
    }

    [Fact]
    public async Task Dashboard_ShowsOnlyMatchingPipelines_WhenFilteredByNameOrTeam()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await host.SetPipelineAsync($"alpha-{tag}", Pipelines.Hello);
        await host.SetPipelineAsync($"beta-{tag}", Pipelines.Hello);
        using var inWeb = await host.Http.PutAsync($"/api/v1/pipelines/gamma-{tag}/config",
            FerryHost.Json(new JsonObject { ["config"] = Pipelines.Hello, ["team"] = $"web{tag}" }));
        inWeb.IsSuccessStatusCode.ShouldBeTrue(await inWeb.Content.ReadAsStringAsync());

        var byName = await host.Http.GetStringAsync($"/?q=ALPHA-{tag}");
        var byTeam = await host.Http.GetStringAsync($"/?team=web{tag}");
        var byTeamText = await host.Http.GetStringAsync($"/?q=web{tag}");
        var none = await host.Http.GetStringAsync($"/?q=nothing-{tag}");

        Shown(byName).ShouldBe([$"alpha-{tag}"]);
        Shown(byTeam).ShouldBe([$"gamma-{tag}"]);
        Shown(byTeamText).ShouldBe([$"gamma-{tag}"], "the text matches a team's name too");
        byName.ShouldContain($"value=\"ALPHA-{tag}\"", Case.Sensitive, "the form shows what it filtered by");
        byTeam.ShouldContain($"<option value=\"web{tag}\" selected");
        Shown(none).ShouldBeEmpty();
        none.ShouldContain("data-no-match");
    }

    private static List<string> Shown(string html) => [.. PipelineCard().Matches(html).Select(m => m.Groups["name"].Value)];

    [Fact]
    public async Task Events_TellOfAPromotionChange_OnlyInPipelinesTheUserMaySee()
    {
        var p = await PipelineInFlightAsync();
        var hidden = "hidden-" + Guid.NewGuid().ToString("N")[..8];
        using (var other = await host.Http.PutAsync($"/api/v1/pipelines/{hidden}/config",
                   FerryHost.Json(new JsonObject { ["config"] = Pipelines.Hello, ["team"] = "elsewhere" })))
            other.IsSuccessStatusCode.ShouldBeTrue(await other.Content.ReadAsStringAsync());
        var viewer = await host.TokenAsync("viewer-" + p, "main:viewer");
        using var deadline = new CancellationTokenSource(Deadline);

        await using var all = await EventsAsync("/api/v1/events", viewer, deadline.Token);
        await using var one = await EventsAsync($"/api/v1/events?pipeline={p}", viewer, deadline.Token);
        var pipeline = (await host.Store.GetPipelineAsync(hidden))!;
        var build = await host.Store.CreateBuildAsync(new NewBuild(pipeline.Id, null, "{}", [], []), deadline.Token);
        // No runner here: the build must not wait in the queue of a shared store.
        await host.Store.RequestAbortAsync(build.Id, "stands for a build in a test", deadline.Token);
        using (var lifted = await host.Http.DeleteAsync($"/api/v1/pipelines/{p}/environments/staging/hold", deadline.Token))
            lifted.IsSuccessStatusCode.ShouldBeTrue(await lifted.Content.ReadAsStringAsync(deadline.Token));

        (await all.NextAsync(deadline.Token)).ShouldBe(("promotion", $"{{\"pipeline\":\"{p}\",\"kind\":\"promotion\"}}"),
            "the build of the pipeline of another team is not told of");
        (await one.NextAsync(deadline.Token)).ShouldBe(("promotion", $"{{\"pipeline\":\"{p}\",\"kind\":\"promotion\"}}"));
        using var refused = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/events?pipeline={hidden}");
        refused.Headers.Authorization = new AuthenticationHeaderValue("Bearer", viewer);
        using var notFound = await host.Http.SendAsync(refused, deadline.Token);
        notFound.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>Opens the stream and reads up to its <c>ready</c> event: from then on it hears every change.</summary>
    private async Task<EventStream> EventsAsync(string path, string token, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
        var stream = new EventStream(request, response, new StreamReader(await response.Content.ReadAsStreamAsync(ct)));
        (await stream.NextAsync(ct)).Name.ShouldBe("ready");
        return stream;
    }

    private sealed class EventStream(HttpRequestMessage request, HttpResponseMessage response, StreamReader reader) : IAsyncDisposable
    {
        public async Task<(string Name, string Data)> NextAsync(CancellationToken ct)
        {
            string? name = null, data = null;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                    name = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                    data = line[6..];
                else if (line.Length == 0 && name is not null)
                    return (name, data ?? "");
            }
            throw new EndOfStreamException("the event stream ended");
        }

        public ValueTask DisposeAsync()
        {
            reader.Dispose();
            response.Dispose();
            request.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    [GeneratedRegex("<li class=\"env-tile [^\"]*\" data-environment=\"(?<name>[^\"]+)\" data-status=\"(?<status>[^\"]*)\"(?: data-release=\"(?<release>[^\"]*)\")?")]
    private static partial Regex Tile();

    [GeneratedRegex("<section class=\"panel card[^\"]*\" data-pipeline=\"(?<name>[^\"]+)\"")]
    private static partial Regex PipelineCard();
}
