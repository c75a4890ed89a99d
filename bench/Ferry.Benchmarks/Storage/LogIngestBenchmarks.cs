using BenchmarkDotNet.Attributes;
using Ferry.Core.Builds;
using Ferry.Storage;

namespace Ferry.Benchmarks.Storage;

/// <summary>
/// Log ingest into the store (budget: 50 MB/s): each invocation appends <see cref="TotalBytes"/> of log text to one build
/// in batches of <see cref="EventsPerBatch"/> events, each committed before the next (Append16MB), or one event at a
/// time through <see cref="BufferedBuildEventSink"/> (Sink16MB). MB/s = 16 / mean seconds.
/// The text is compiler-like output that compresses about as a real log does. PostgreSQL runs only when
/// FERRY_TEST_POSTGRES is set; its figure depends on the server's durability settings (fsync, synchronous_commit).
/// Run: dotnet run -c Release --project bench/Ferry.Benchmarks -- --filter '*LogIngest*' --job short
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class LogIngestBenchmarks
{
    public const int TotalBytes = 16 * 1024 * 1024;
    private const int EventsPerBatch = 64;

    private string? _directory;
    private string? _schema;
    private IStore _store = null!;
    private long _buildId;
    private BuildEvent[] _batch = [];

    /// <summary>Bytes of text per log event: a runner chunk of many lines (it reads pipes 64 KB at a time).</summary>
    [Params(8192, 65536)]
    public int EventBytes { get; set; }

    [ParamsSource(nameof(Stores))]
    public string Store { get; set; } = "sqlite";

    public static IEnumerable<string> Stores() =>
        Environment.GetEnvironmentVariable("FERRY_TEST_POSTGRES") is { Length: > 0 } ? ["sqlite", "postgres"] : ["sqlite"];

    // Synchronous: BenchmarkDotNet's in-process toolchain does not await an async setup.
    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        if (Store == "postgres")
        {
            var admin = Environment.GetEnvironmentVariable("FERRY_TEST_POSTGRES")!;
            _schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
            await using (var connection = new Npgsql.NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await using var command = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
                await command.ExecuteNonQueryAsync();
            }
            _store = await StoreFactory.OpenAsync("", new Npgsql.NpgsqlConnectionStringBuilder(admin) { SearchPath = _schema }.ConnectionString);
        }
        else
        {
            _directory = Path.Combine(Path.GetTempPath(), "ferry-bench-" + Guid.NewGuid().ToString("N")[..8]);
            _store = await StoreFactory.OpenAsync(_directory, null);
        }
        var config = await _store.SetPipelineAsync(new PipelineConfigInput("bench", "jobs: []", [], null, [], [new JobDefinition("job", [])]));
        var job = (await _store.GetJobAsync(config.PipelineId, "job"))!;
        _buildId = (await _store.CreateBuildAsync(new NewBuild(config.PipelineId, job.Id, "{}", [], []))).Id;
        var random = new Random(42);
        _batch = [.. Enumerable.Range(0, EventsPerBatch).Select(_ => new BuildEvent(0, 0, DateTimeOffset.UtcNow, BuildEventType.Log, "task:test", LogStream.Stdout, LogText(random, EventBytes)))];
    }

    /// <summary>
    /// Compiler-like output of <paramref name="bytes"/> characters: times, paths, counts and hashes, so it compresses
    /// about as well as a real build log does (2-3x), not like one repeated character (which the store would shrink to nothing).
    /// </summary>
    private static string LogText(Random random, int bytes)
    {
        string[] levels = ["info", "info", "info", "debug", "warn"];
        string[] verbs = ["compiled", "linked", "restored", "tested", "copied"];
        var text = new System.Text.StringBuilder(bytes + 200);
        while (text.Length < bytes)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{random.Next(24):00}:{random.Next(60):00}:{random.Next(60):00}.{random.Next(1000):000} [{levels[random.Next(levels.Length)]}] " +
                $"src/Module{random.Next(40)}/File{random.Next(500)}.cs({random.Next(2000)},{random.Next(80)}): {verbs[random.Next(verbs.Length)]} " +
                $"{random.Next(10_000)} symbols in {random.Next(5000)} ms, sha {random.NextInt64():x16}\n");
        }
        text.Length = bytes - 1;
        return text.Append('\n').ToString();
    }

    [Benchmark]
    public async Task Append16MB()
    {
        var batches = TotalBytes / (EventBytes * EventsPerBatch);
        for (var i = 0; i < batches; i++)
        {
            await _store.AppendEventsAsync(_buildId, _batch);
        }
    }

    /// <summary>As the runner feeds it: one event at a time into the buffered sink, which group-commits; then a flush.</summary>
    [Benchmark]
    public async Task Sink16MB()
    {
        var sink = new BufferedBuildEventSink(_store, _buildId);
        var count = TotalBytes / EventBytes;
        for (var i = 0; i < count; i++)
        {
            await sink.WriteAsync(_batch[0]);
        }
        await sink.DisposeAsync();
    }

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
        if (_schema is not null)
        {
            await using var connection = new Npgsql.NpgsqlConnection(Environment.GetEnvironmentVariable("FERRY_TEST_POSTGRES"));
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
