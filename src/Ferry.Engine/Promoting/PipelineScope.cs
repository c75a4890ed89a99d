using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
using Ferry.Engine.Pipelines;
using Ferry.Storage;

namespace Ferry.Engine.Promoting;

/// <summary>One pipeline's environments as they stand: its config, each environment's settings and record, the DAG.</summary>
internal sealed class PipelineScope(PipelineRecord pipeline, PipelineConfig config, IReadOnlyDictionary<string, EnvironmentSettings> settings,
    IReadOnlyList<EnvironmentRecord> records)
{
    public PipelineRecord Pipeline { get; } = pipeline;
    public PipelineConfig Config { get; } = config;
    public IReadOnlyDictionary<string, EnvironmentSettings> Settings { get; } = settings;
    public IReadOnlyList<EnvironmentRecord> Records { get; } = records;
    public EnvironmentGraph Graph { get; } = new(records.Select(r => r.ToNode()));

    public (EnvironmentSettings Settings, EnvironmentRecord Record) Environment(string name) =>
        Settings.TryGetValue(name, out var s) && Records.FirstOrDefault(r => r.Name == name) is { } r
            ? (s, r)
            : throw new PromotionLookupException($"environment '{name}' not found in pipeline '{Pipeline.Name}'");

    public static async Task<PipelineScope> LoadAsync(IStore store, PipelineConfigs configs, EnvironmentSync sync, PipelineRecord pipeline,
        CancellationToken cancellationToken)
    {
        var config = await configs.CurrentAsync(pipeline, cancellationToken)
            ?? throw new PromotionLookupException($"pipeline '{pipeline.Name}' has no config");
        var (settings, records) = await sync.SyncAsync(pipeline, config, cancellationToken);
        return new PipelineScope(pipeline, config, settings, records);
    }

    /// <summary>The newest release that fits the environment and may go there now; none for a <c>for_each</c> declaration.</summary>
    public ReleaseRecord? NewestEligible(EnvironmentSettings settings, IEnumerable<ReleaseRecord> newestFirst) =>
        settings.IsTemplate ? null : newestFirst.FirstOrDefault(r => settings.Fits(r.Content) && Eligibility.IsEligible(Graph, settings.Name, r.ToStanding()));

    /// <summary>The keys the release brings into <paramref name="environment"/>: its own and every upstream environment's.</summary>
    public IEnumerable<string> UpstreamOf(string environment) => Graph.AncestorsOf(environment);
}
