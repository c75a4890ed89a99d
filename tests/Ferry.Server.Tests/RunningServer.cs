using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Storage;

namespace Ferry.Server.Tests;

/// <summary>Helpers for tests on a server of their own that runs its loops (it checks, schedules and runs builds).</summary>
internal static class RunningServer
{
    public static Task<FerryHost> StartAsync(Func<ServerOptions, ServerOptions>? configure = null) =>
        FerryHost.StartAsync(o => (configure ?? (x => x))(o with { RunLoops = true }));

    /// <summary>A job with one task that runs <paramref name="script"/> in sh.</summary>
    public static string TaskPipeline(string script) => $$"""
        jobs:
          - name: unit
            plan:
              - task: run
                config:
                  platform: linux
                  run: { path: sh, args: [-c, {{System.Text.Json.JsonSerializer.Serialize(script)}}] }
        """;

    /// <summary>Triggers the job through the API and returns the new build's id.</summary>
    public static async Task<long> TriggerAsync(FerryHost host, string pipeline, string job)
    {
        using var response = await host.Http.PostAsync($"/api/v1/pipelines/{pipeline}/jobs/{job}/builds", null);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonNode.Parse(text)!["id"]!.GetValue<long>();
    }

    /// <summary>Waits (with a deadline) until the build's record says <paramref name="until"/>.</summary>
    public static async Task<BuildRecord> WaitAsync(IStore store, long buildId, Func<BuildRecord, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var build = await store.GetBuildAsync(buildId);
            if (build is not null && until(build))
            {
                return build;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"build {buildId} is {build?.Status.ToString() ?? "gone"}, still not what the test waits for");
            }
            await Task.Delay(50);
        }
    }

    public static Task<BuildRecord> FinishedAsync(IStore store, long buildId) => WaitAsync(store, buildId, b => b.Status.IsFinal());

    /// <summary>The build's whole log text.</summary>
    public static async Task<string> LogAsync(IStore store, long buildId) =>
        string.Concat((await store.ReadEventsAsync(buildId, 0, 100_000)).Where(e => e.Type == BuildEventType.Log).Select(e => e.Text));
}
