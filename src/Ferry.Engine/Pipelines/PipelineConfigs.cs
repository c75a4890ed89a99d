using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Vars;
using Ferry.Storage;

namespace Ferry.Engine.Pipelines;

/// <summary>
/// The loaded model of each pipeline's current config version, read back from the store (the YAML and the vars it
/// was set with) and kept until a newer config version replaces it: the loops read it on every pass. An entry is
/// kept for one pipeline, not one id: SQLite gives a new pipeline the id of a destroyed one, whose config number 1
/// must not be taken for the new one's (<see cref="Forget"/> on destroy, and the pipeline's creation time in the key).
/// </summary>
public sealed class PipelineConfigs(IStore store)
{
    private readonly ConcurrentDictionary<int, (DateTimeOffset Created, int Number, PipelineConfig Config)> _cache = new();

    /// <summary>The pipeline's current config, or null when it has none; throws when the stored config no longer loads.</summary>
    public async Task<PipelineConfig?> CurrentAsync(PipelineRecord pipeline, CancellationToken cancellationToken)
    {
        if (pipeline.CurrentConfigNumber is not { } number)
            return null;
        if (_cache.TryGetValue(pipeline.Id, out var cached) && cached.Number == number && cached.Created == pipeline.CreatedAt)
            return cached.Config;
        var version = await store.GetPipelineConfigAsync(pipeline.Id, number, cancellationToken);
        if (version is null)
            return null;
        var config = Load(pipeline.Name, version.Yaml, version.Vars);
        _cache[pipeline.Id] = (pipeline.CreatedAt, number, config);
        return config;
    }

    /// <summary>Drops what is kept for a destroyed pipeline.</summary>
    public void Forget(int pipelineId) => _cache.TryRemove(pipelineId, out _);

    public async Task<PipelineConfig?> CurrentAsync(int pipelineId, CancellationToken cancellationToken)
    {
        var pipeline = await store.GetPipelineByIdAsync(pipelineId, cancellationToken);
        return pipeline is null ? null : await CurrentAsync(pipeline, cancellationToken);
    }

    /// <summary>The values of the current config's secret vars (<c>set-pipeline --secret-var</c>), for log redaction.</summary>
    public async Task<IReadOnlyCollection<string>> SecretValuesAsync(int pipelineId, CancellationToken cancellationToken)
    {
        var version = await store.GetPipelineConfigAsync(pipelineId, null, cancellationToken);
        if (version is null)
            return [];
        return version.SecretVars
            .Select(name => version.Vars[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : version.Vars[name]?.ToJsonString())
            .OfType<string>()
            .Where(value => value.Length > 0)
            .ToList();
    }

    /// <summary>Loads a stored config; it was valid when it was set, so an error here means the loader changed.</summary>
    public static PipelineConfig Load(string pipelineName, string yaml, JsonObject vars)
    {
        var result = PipelineLoader.Load(yaml, $"{pipelineName}.yml", new PipelineLoadOptions { Vars = ToStaticVars(vars) });
        if (result.Pipeline is null || result.Errors.Count > 0)
        {
            var first = result.Errors.FirstOrDefault()?.ToString() ?? "the config could not be read";
            throw new StoredConfigException($"pipeline '{pipelineName}': its stored config no longer loads: {first}");
        }
        return result.Pipeline;
    }

    /// <summary>Vars as stored with a config version (strings from -v, typed values from -y/-l) back into loader vars.</summary>
    public static StaticVars ToStaticVars(JsonObject vars)
    {
        var result = new StaticVars();
        foreach (var (name, value) in vars)
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text))
                result.AddString(name, text);
            else
                result.AddYaml(name, value?.ToJsonString() ?? "null");
        }
        return result;
    }
}

/// <summary>A stored config that no longer loads (the loader changed since it was set): its pipeline page says why.</summary>
public sealed class StoredConfigException(string message) : Exception(message);
