using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Storage.Tests.Contract;

/// <summary>
/// The store contract: every implementation passes the same tests (one subclass per dialect). Tests share the class's
/// database and use pipelines of their own; tests that see every row open a fresh database.
/// </summary>
public abstract partial class StoreContract<TTarget> : IClassFixture<TTarget>, IAsyncLifetime
    where TTarget : StoreTarget
{
    private readonly List<IStore> _opened = [];

    protected StoreContract(TTarget target) => Target = target;

    protected TTarget Target { get; }

    protected IStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await OpenAsync(await Target.SharedAsync());

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    protected async Task<IStore> OpenAsync(TargetDatabase database, TimeProvider? clock = null, Keys.MasterKey? masterKey = null)
    {
        var store = await Target.OpenAsync(database, clock, masterKey);
        _opened.Add(store);
        return store;
    }

    protected async Task<IStore> OpenFreshAsync(TimeProvider? clock = null) => await OpenAsync(await Target.CreateDatabaseAsync(), clock);

    protected static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    protected static ResourceDefinition GitResource(string name, string branch = "main") =>
        new(name, "git", new JsonObject { ["uri"] = $"file:///repos/{name}", ["branch"] = branch },
            new JsonObject { ["name"] = name, ["type"] = "git", ["check_every"] = "1m" });

    protected static PipelineConfigInput Config(string pipeline, string[] resources, string[] jobs, bool paused = false) =>
        new(pipeline, $"# {pipeline}\nresources: []\n", new JsonObject { ["env"] = "test" }, "tester",
            [.. resources.Select(r => GitResource(r))],
            [.. jobs.Select(j => new JobDefinition(j, new JsonObject { ["name"] = j, ["plan"] = new JsonArray() }))],
            paused);

    /// <summary>A pipeline with the given resources and jobs, returned by name.</summary>
    protected static async Task<TestPipeline> NewPipelineAsync(IStore store, string[] resources, string[] jobs)
    {
        var name = UniqueName("p");
        var config = await store.SetPipelineAsync(Config(name, resources, jobs));
        var resourceRecords = await store.ListResourcesAsync(config.PipelineId);
        var jobRecords = await store.ListJobsAsync(config.PipelineId);
        return new TestPipeline(config.PipelineId, name,
            resourceRecords.ToDictionary(r => r.Name, r => r.Id), jobRecords.ToDictionary(j => j.Name, j => j.Id));
    }

    protected static ResourceVersion V(string reference, params (string Name, string Value)[] metadata) =>
        new(new Dictionary<string, string> { ["ref"] = reference }, [.. metadata.Select(m => new MetadataField(m.Name, m.Value))]);

    protected static NewBuild JobBuild(TestPipeline pipeline, string job, IReadOnlyList<NewBuildInput>? inputs = null, IReadOnlyList<long>? pipes = null, long? rerunOf = null) =>
        new(pipeline.Id, pipeline.Jobs[job], """{"do":[]}""", inputs ?? [], pipes ?? [], rerunOf, "scheduler");

    protected sealed record TestPipeline(int Id, string Name, IReadOnlyDictionary<string, int> Resources, IReadOnlyDictionary<string, int> Jobs);
}

public sealed class SqliteStoreTests(SqliteTarget target) : StoreContract<SqliteTarget>(target);

public sealed class PostgresStoreTests(PostgresTarget target) : StoreContract<PostgresTarget>(target), IUsesPostgres;
