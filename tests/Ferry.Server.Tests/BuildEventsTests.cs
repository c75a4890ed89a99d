using System.Net;
using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Storage;

namespace Ferry.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class BuildEventsTests(FerryHost host)
{
    [Fact]
    public async Task Events_StreamInOrderThenEnd_WhenBuildIsDone()
    {
        var build = await StartedBuildAsync("events-done");
        await AppendLogAsync(build.Id, "one\n", "two\n", "three\n");
        await host.Store.AppendEventsAsync(build.Id, [Event(build.Id, BuildEventType.Status, "succeeded")]);
        await host.Store.FinishBuildAsync(build.Id, BuildStatus.Succeeded);

        var events = await ReadStreamAsync($"/api/v1/builds/{build.Id}/events", null);

        events.Select(e => e.Event).ShouldBe(["log", "log", "log", "status", "end"]);
        events.Take(4).Select(e => long.Parse(e.Id!)).ShouldBe([1, 2, 3, 4]);
        events.Take(3).Select(e => JsonNode.Parse(e.Data)!["text"]!.GetValue<string>()).ShouldBe(["one\n", "two\n", "three\n"]);
        var end = JsonNode.Parse(events[^1].Data)!;
        end["status"]!.GetValue<string>().ShouldBe("succeeded");
        events[^1].Id.ShouldBeNull();
    }

    [Fact]
    public async Task Events_ResumeAfterLastEventId_WhenReconnecting()
    {
        var build = await StartedBuildAsync("events-resume");
        await AppendLogAsync(build.Id, "a\n", "b\n", "c\n", "d\n");
        await host.Store.AppendEventsAsync(build.Id, [Event(build.Id, BuildEventType.Status, "failed")]);
        await host.Store.FinishBuildAsync(build.Id, BuildStatus.Failed);

        var events = await ReadStreamAsync($"/api/v1/builds/{build.Id}/events", "2");

        events.Select(e => e.Id).ShouldBe(["3", "4", "5", null]);
        JsonNode.Parse(events[0].Data)!["text"]!.GetValue<string>().ShouldBe("c\n");
        JsonNode.Parse(events[^1].Data)!["status"]!.GetValue<string>().ShouldBe("failed");
        (await ReadStreamAsync($"/api/v1/builds/{build.Id}/events?after=4", null)).Select(e => e.Id).ShouldBe(["5", null]);
    }

    [Fact]
    public async Task Events_ArriveLive_WhenAppendedWhileStreaming()
    {
        var build = await StartedBuildAsync("events-live");
        await AppendLogAsync(build.Id, "before\n");
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = ReadStreamAsync($"/api/v1/builds/{build.Id}/events", null, _ => delivered.TrySetResult());
        // The stream has sent what was there when it opened; what is appended from now on can only arrive live.
        await delivered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await AppendLogAsync(build.Id, "after\n");
        await host.Store.AppendEventsAsync(build.Id, [Event(build.Id, BuildEventType.Status, "succeeded")]);
        await host.Store.FinishBuildAsync(build.Id, BuildStatus.Succeeded);
        var events = await reading.WaitAsync(TimeSpan.FromSeconds(10));

        events.Select(e => e.Event).ShouldBe(["log", "log", "status", "end"]);
        JsonNode.Parse(events[1].Data)!["text"]!.GetValue<string>().ShouldBe("after\n");
    }

    [Fact]
    public async Task Events_End_WhenPendingBuildIsAborted()
    {
        var pipeline = await PipelineAsync("events-abort");
        var build = await host.Store.CreateBuildAsync(new NewBuild(pipeline.Pipeline.Id, pipeline.JobId, """{"do":[]}""", [], []));
        var reading = ReadStreamAsync($"/api/v1/builds/{build.Id}/events", null);

        using var abort = await host.Http.PutAsync($"/api/v1/builds/{build.Id}/abort", null);
        abort.StatusCode.ShouldBe(HttpStatusCode.OK);
        var events = await reading.WaitAsync(TimeSpan.FromSeconds(10));

        JsonNode.Parse(events.Single().Data)!["status"]!.GetValue<string>().ShouldBe("aborted");
        using var again = await host.Http.PutAsync($"/api/v1/builds/{build.Id}/abort", null);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Events_Return400_WhenLastEventIdIsNotASeq()
    {
        var build = await StartedBuildAsync("events-bad-id");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/builds/{build.Id}/events");
        request.Headers.Add("Last-Event-ID", "abc");
        using var response = await host.Http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        await host.Store.FinishBuildAsync(build.Id, BuildStatus.Errored);
    }

    [Fact]
    public async Task BuildsList_FiltersByJob_AndJobShowsNewestBuilds()
    {
        var build = await StartedBuildAsync("listing");
        await host.Store.FinishBuildAsync(build.Id, BuildStatus.Succeeded);

        var page = await host.GetJsonAsync("/api/v1/builds?pipeline=listing&job=unit");
        var item = page["items"]!.AsArray().Single()!;
        item["id"]!.GetValue<long>().ShouldBe(build.Id);
        item["status"]!.GetValue<string>().ShouldBe("succeeded");
        item["startedAt"]!.GetValue<string>().ShouldEndWith("Z");
        var jobs = await host.GetJsonAsync("/api/v1/pipelines/listing/jobs");
        jobs[0]!["finishedBuild"]!["id"]!.GetValue<long>().ShouldBe(build.Id);
        (await host.GetJsonAsync($"/api/v1/pipelines/listing/jobs/unit/builds/{build.Name}"))["build"]!["id"]!.GetValue<long>().ShouldBe(build.Id);
        (await host.Http.GetAsync("/api/v1/builds?job=unit")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private async Task<(PipelineRecord Pipeline, int JobId)> PipelineAsync(string name)
    {
        await host.SetPipelineAsync(name, Pipelines.Hello);
        var pipeline = (await host.Store.GetPipelineAsync(name))!;
        return (pipeline, (await host.Store.GetJobAsync(pipeline.Id, "unit"))!.Id);
    }

    private async Task<BuildRecord> StartedBuildAsync(string pipelineName)
    {
        var (pipeline, jobId) = await PipelineAsync(pipelineName);
        var build = await host.Store.CreateBuildAsync(new NewBuild(pipeline.Id, jobId, """{"do":[]}""", [], []));
        var claimed = await host.Store.ClaimNextBuildAsync("tests");
        claimed!.Id.ShouldBe(build.Id, "another test left a pending build behind");
        return claimed;
    }

    private Task AppendLogAsync(long buildId, params string[] lines) =>
        host.Store.AppendEventsAsync(buildId, [.. lines.Select(l => Event(buildId, BuildEventType.Log, l, LogStream.Stdout))]);

    private static BuildEvent Event(long buildId, BuildEventType type, string text, LogStream? stream = null) =>
        new(buildId, 0, DateTimeOffset.UtcNow, type, "step-1", stream, text);

    private sealed record Sse(string? Id, string Event, string Data);

    /// <param name="arrived">Told of each event as it arrives, while the stream is still open.</param>
    private async Task<List<Sse>> ReadStreamAsync(string path, string? lastEventId, Action<Sse>? arrived = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }
        using var response = await host.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<Sse>();
        string? id = null, name = null, data = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    events.Add(new Sse(id, name ?? "message", data));
                    arrived?.Invoke(events[^1]);
                    if (name == "end")
                    {
                        break;
                    }
                }
                (id, name, data) = (null, null, null);
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }
        return events;
    }
}
