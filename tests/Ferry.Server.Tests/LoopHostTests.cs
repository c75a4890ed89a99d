using Ferry.Engine.Loops;
using Ferry.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Tests;

public sealed class LoopHostTests
{
    [Fact]
    public async Task Loops_RunAtStartAgainWhenWokenAndAfterFailures_WhileServerRuns()
    {
        var counting = new CountingLoop("counting", TimeSpan.FromHours(1), failFirst: 0);
        var failing = new CountingLoop("failing", TimeSpan.FromMilliseconds(10), failFirst: 1);
        var data = Path.Combine(Path.GetTempPath(), "ferry-loop-tests-" + Guid.NewGuid().ToString("N")[..12]);
        await using var app = await FerryServer.BuildAsync(
            new ServerOptions { DataDirectory = data, Listen = "http://127.0.0.1:0", LogLevel = LogLevel.Critical, SeedExample = false },
            services =>
            {
                services.AddSingleton<IBackgroundLoop>(counting);
                services.AddSingleton<IBackgroundLoop>(failing);
            });
        await app.StartAsync();

        await counting.WaitForRunsAsync(1);
        app.Services.GetRequiredService<LoopWaker>().Wake("counting");
        await counting.WaitForRunsAsync(2);
        // One failure, then the back-off (at least 1 s), then a pass that works: the loop was not given up.
        await failing.WaitForRunsAsync(2);

        using var http = new HttpClient { BaseAddress = new Uri(FerryServer.Addresses(app).First()) };
        // The second run has begun; the info shows it once it has finished.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        System.Text.Json.Nodes.JsonNode? shown;
        while ((shown = await CountingPassAsync(http)) is null || (long)shown["passes"]! < 2)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, $"/api/v1/info shows the counting loop as {shown?.ToJsonString()}");
            await Task.Delay(20);
        }
        ((string)shown["lastPassEndedAt"]!).ShouldEndWith("Z");

        await app.StopAsync();
        counting.Runs.ShouldBe(2);
        var passes = app.Services.GetRequiredService<LoopPasses>().All.ToDictionary(p => p.Name, p => p.Passes);
        passes["counting"].ShouldBe(2);
        passes["failing"].ShouldBe(failing.Runs - 1, "the pass that threw is not a finished pass");
        Directory.Delete(data, recursive: true);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode?> CountingPassAsync(HttpClient http) =>
        System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/api/v1/info"))!["loops"]!.AsArray()
            .SingleOrDefault(l => (string?)l!["name"] == "counting");

    [Theory]
    [InlineData(5_000, 0, 5_000)]
    [InlineData(10, 1, 1_000)]
    [InlineData(10, 3, 4_000)]
    [InlineData(5_000, 10, 60_000)]
    [InlineData(300_000, 2, 300_000)]
    public void Delay_BacksOffWithinBounds_WhenPassesFail(int intervalMs, int failures, int expectedMs) =>
        LoopHost.Delay(TimeSpan.FromMilliseconds(intervalMs), failures).ShouldBe(TimeSpan.FromMilliseconds(expectedMs));

    private sealed class CountingLoop(string name, TimeSpan interval, int failFirst) : IBackgroundLoop
    {
        private int _runs;

        public string Name => name;

        public TimeSpan Interval => interval;

        public int Runs => Volatile.Read(ref _runs);

        public Task RunOnceAsync(CancellationToken cancellationToken)
        {
            var run = Interlocked.Increment(ref _runs);
            return run <= failFirst ? throw new InvalidOperationException($"pass {run} fails on purpose") : Task.CompletedTask;
        }

        public async Task WaitForRunsAsync(int runs)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Runs < runs)
            {
                DateTime.UtcNow.ShouldBeLessThan(deadline, $"loop {name} ran {Runs} times, expected {runs}");
                await Task.Delay(20);
            }
        }
    }
}
