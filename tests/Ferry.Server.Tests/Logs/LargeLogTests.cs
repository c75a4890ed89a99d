using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Core.Builds;
using Ferry.Storage;

namespace Ferry.Server.Tests.Logs;

/// <summary>
/// A build with a 20 MB log: its page shows the end and a way to earlier output, and the log API pages through
/// the whole of it in bounded pages, forward and back.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class LargeLogTests(FerryHost host)
{
    private const int LineLength = 100;
    private const int LinesPerEvent = 640;
    private const int Events = 328;

    /// <summary>Line <paramref name="n"/> of the log: its number, padded to <see cref="LineLength"/> characters with its newline.</summary>
    private static string Line(int n) => $"line {n:D7} ".PadRight(LineLength - 1, '.') + "\n";

    [Fact]
    public async Task BuildPage_ShowsTheEndOfA20MbLog_AndLinksToEarlierOutput()
    {
        var build = await BuildWithLargeLogAsync("large-page");

        using var response = await host.Http.GetAsync($"/builds/{build}");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.Length.ShouldBeLessThan(600 * 1024, "the page holds a bounded end of the log, not 20 MB");
        html.ShouldContain(Line(Events * LinesPerEvent - 1).TrimEnd('\n'));
        html.ShouldNotContain(Line(0).TrimEnd('\n'));
        html.ShouldContain("data-step=\"step-1\"", customMessage: "the step whose start is far before the shown end still has its section");
        html.ShouldContain("<span class=\"outcome\"><span class=\"status succeeded\"", customMessage: "and its outcome");
        var before = EarlierLink().Match(html);
        before.Success.ShouldBeTrue("a link to earlier output");

        var earlier = await host.Http.GetStringAsync($"/builds/{build}?before={before.Groups["seq"].Value}");
        earlier.Length.ShouldBeLessThan(600 * 1024);
        earlier.ShouldNotContain(Line(Events * LinesPerEvent - 1).TrimEnd('\n'));
        earlier.ShouldContain("data-action=\"newest-output\"");
        earlier.ShouldContain("data-window=\"true\"");
    }

    [Fact]
    public async Task LogApi_PagesBackThroughTheWholeLog_InBoundedPages()
    {
        var build = await BuildWithLargeLogAsync("large-api");
        var pages = new List<string>();
        string? before = null;
        while (true)
        {
            var page = await host.GetJsonAsync($"/api/v1/builds/{build}/log" + (before is null ? "" : $"?before={before}"));
            var text = Text(page);
            text.Length.ShouldBeLessThanOrEqualTo(256 * 1024 + LineLength * LinesPerEvent, "a page is about 256 KB of text");
            pages.Add(text);
            if (!page["earlier"]!.GetValue<bool>())
            {
                break;
            }
            before = page["firstSeq"]!.ToString();
            pages.Count.ShouldBeLessThan(200, "paging back ends");
        }

        pages.Count.ShouldBeGreaterThan(60);
        pages.Reverse();
        string.Concat(pages).ShouldBe(ExpectedLog());
    }

    [Fact]
    public async Task LogApi_PagesForwardFromTheStart_AndRefusesBeforeWithAfter()
    {
        var build = await BuildWithLargeLogAsync("large-forward");

        var first = await host.GetJsonAsync($"/api/v1/builds/{build}/log?after=0&chars=100000");
        var second = await host.GetJsonAsync($"/api/v1/builds/{build}/log?after={first["lastSeq"]}&chars=100000");
        using var both = await host.Http.GetAsync($"/api/v1/builds/{build}/log?after=1&before=5");

        first["earlier"]!.GetValue<bool>().ShouldBeFalse();
        first["later"]!.GetValue<bool>().ShouldBeTrue();
        Text(first).ShouldStartWith(Line(0));
        (Text(first) + Text(second)).ShouldStartWith(string.Concat(Enumerable.Range(0, 2 * LinesPerEvent).Select(Line)));
        second["earlier"]!.GetValue<bool>().ShouldBeTrue();
        both.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static string Text(JsonNode page) =>
        string.Concat(page["events"]!.AsArray().Where(e => e!["type"]!.GetValue<string>() == "log").Select(e => e!["text"]!.GetValue<string>()));

    private static string ExpectedLog()
    {
        var text = new StringBuilder(Events * LinesPerEvent * LineLength);
        for (var n = 0; n < Events * LinesPerEvent; n++)
        {
            text.Append(Line(n));
        }
        return text.ToString();
    }

    /// <summary>A finished build of one step whose log is <see cref="Events"/> events of 64,000 characters (about 21 MB).</summary>
    private async Task<long> BuildWithLargeLogAsync(string pipelineName)
    {
        await host.SetPipelineAsync(pipelineName, Pipelines.Hello);
        var pipeline = (await host.Store.GetPipelineAsync(pipelineName))!;
        var job = (await host.Store.GetJobAsync(pipeline.Id, "unit"))!;
        var build = await host.Store.CreateBuildAsync(new NewBuild(pipeline.Id, job.Id, """{"do":[]}""", [], []));
        (await host.Store.ClaimNextBuildAsync("tests"))!.Id.ShouldBe(build.Id, "another test left a pending build behind");
        await host.Store.AppendEventsAsync(build.Id,
            [new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.StepStarted, "step-1", Payload: new JsonObject { ["kind"] = "task", ["name"] = "flood" })]);
        for (var e = 0; e < Events; e++)
        {
            var text = string.Concat(Enumerable.Range(e * LinesPerEvent, LinesPerEvent).Select(Line));
            await host.Store.AppendEventsAsync(build.Id, [new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.Log, "step-1", LogStream.Stdout, text)]);
        }
        await host.Store.AppendEventsAsync(build.Id,
        [
            new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.StepFinished, "step-1", Text: "succeeded"),
            new BuildEvent(build.Id, 0, DateTimeOffset.UtcNow, BuildEventType.Status, Text: "succeeded"),
        ]);
        await host.Store.FinishBuildAsync(build.Id, BuildStatus.Succeeded);
        return build.Id;
    }

    [GeneratedRegex("""href="/builds/\d+\?before=(?<seq>\d+)" data-action="load-earlier" """)]
    private static partial Regex EarlierLink();
}
