using System.Diagnostics;
using Ferry.Engine.Loops;
using Ferry.Storage;
using Npgsql;
using Xunit.Abstractions;

namespace Ferry.Engine.Tests.Loops;

/// <summary>
/// Two stores on one PostgreSQL database stand for two server nodes: a wake of a shared loop on one reaches the waker
/// fed by the other, promptly and coalesced; a node's own loops (the reaper) and SQLite stay in their process.
/// </summary>
public sealed class LoopWakerAcrossNodesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<IStore> _stores = [];
    private readonly string _data = Directory.CreateTempSubdirectory("ferry-wakes-").FullName;

    [PostgresFact]
    public async Task AWakeOnOneNode_WakesTheSharedLoopOnTheOther_AndOnlyThatLoop()
    {
        var connection = await CreateDatabaseAsync();
        using var nodeA = new LoopWaker((await OpenAsync(connection)).Wakes);
        using var nodeB = new LoopWaker((await OpenAsync(connection)).Wakes);
        var latencies = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            nodeA.Wake(LoopNames.Runner);
            (await nodeB.WaitAsync(LoopNames.Runner, TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue($"wake {i} reached node B");
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            // Node A woke its own runner too; taken, so the next round starts from two unwoken loops.
            (await nodeA.WaitAsync(LoopNames.Runner, TimeSpan.Zero, CancellationToken.None)).ShouldBeTrue();
            await Task.Delay(LoopWaker.NoticeSpacing * 2);
        }
        latencies.Sort();
        output.WriteLine($"wake from node A to node B: median {latencies[latencies.Count / 2]:F1} ms, max {latencies[^1]:F1} ms over {latencies.Count}");

        nodeA.Wake(LoopNames.Reaper);
        nodeB.Wake(LoopNames.Promoter);
        (await nodeA.WaitAsync(LoopNames.Promoter, TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue("the promoter is shared");
        (await nodeB.WaitAsync(LoopNames.Reaper, TimeSpan.FromMilliseconds(300), CancellationToken.None)).ShouldBeFalse("each node reaps its own");
    }

    [PostgresFact]
    public async Task ManyWakesAtOnce_SendFewNotices_AndTheLastOneStillArrives()
    {
        var connection = await CreateDatabaseAsync();
        var storeB = await OpenAsync(connection);
        using var nodeA = new LoopWaker((await OpenAsync(connection)).Wakes);
        var heard = 0;
        using var counting = storeB.Wakes.Subscribe(loop =>
        {
            if (loop == LoopNames.Scheduler)
                Interlocked.Increment(ref heard);
        });
        using var nodeB = new LoopWaker(storeB.Wakes);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 2000; i++)
            nodeA.Wake(LoopNames.Scheduler);
        var burst = clock.Elapsed;
        (await nodeB.WaitAsync(LoopNames.Scheduler, TimeSpan.FromSeconds(10), CancellationToken.None)).ShouldBeTrue();
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        // The first wake goes out at once, then at most one per spacing while the burst lasts, and one after it.
        var bound = (int)(burst / LoopWaker.NoticeSpacing) + 2;
        output.WriteLine($"2000 wakes in {burst.TotalMilliseconds:F1} ms sent {heard} notice(s) (bound {bound})");
        heard.ShouldBeGreaterThanOrEqualTo(1);
        heard.ShouldBeLessThanOrEqualTo(bound);
    }

    [Fact]
    public async Task OnSqlite_WakesStayInTheProcess()
    {
        var store = await StoreFactory.OpenAsync(Path.Combine(_data, "sqlite"), null);
        _stores.Add(store);
        store.Wakes.AcrossNodes.ShouldBeFalse();
        using var waker = new LoopWaker(store.Wakes);
        waker.Wake(LoopNames.Runner);
        (await waker.WaitAsync(LoopNames.Runner, TimeSpan.Zero, CancellationToken.None)).ShouldBeTrue();
    }

    private async Task<IStore> OpenAsync(string connection)
    {
        var store = await StoreFactory.OpenAsync(Path.Combine(_data, Guid.NewGuid().ToString("N")[..8]), connection);
        _stores.Add(store);
        return store;
    }

    private static async Task<string> CreateDatabaseAsync()
    {
        var admin = PostgresFactAttribute.AdminConnection ?? throw new InvalidOperationException("FERRY_TEST_POSTGRES is not set");
        var name = "ferry_wakes_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
            await store.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }
}

/// <summary>A test on the PostgreSQL FERRY_TEST_POSTGRES names: skipped, saying so, when unset outside CI; on CI it runs and fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresFactAttribute : FactAttribute
{
    public static string? AdminConnection => Environment.GetEnvironmentVariable("FERRY_TEST_POSTGRES") is { Length: > 0 } value ? value : null;

    public PostgresFactAttribute()
    {
        if (AdminConnection is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            Skip = "FERRY_TEST_POSTGRES is not set: PostgreSQL tests skipped locally (./test.sh starts a server; on CI they fail instead)";
    }
}
