using System.Text.Json.Nodes;
using Ferry.Core.Resolving.VersionsDb;
using Ferry.Server.Api;
using Ferry.Server.Pipelines;
using Ferry.Storage;
using Ferry.Storage.Builds;

namespace Ferry.Server.Debug;

/// <summary>
/// Writes a Concourse versions dump into a store as a new pipeline's history (<c>ferry debug import-versions-db</c>), so
/// a scheduling pass, <c>ferry explain</c> and the scheduler benchmark run against a real, long history. The pipeline is
/// created paused: its resources are placeholders (a daily <c>time</c>) and nothing should check or build it unasked.
/// </summary>
public static class VersionsDbImporter
{
    /// <exception cref="VersionsDbImportException">The pipeline exists already, or the dump does not make a valid pipeline.</exception>
    public static async Task<HistoryImported> ImportAsync(IStore store, VersionsDump dump, string pipelineName, CancellationToken cancellationToken)
    {
        if (await store.GetPipelineAsync(pipelineName, cancellationToken) is not null)
        {
            throw new VersionsDbImportException($"pipeline '{pipelineName}' already exists: the import creates a new pipeline (destroy it first, or choose another name)");
        }
        var rows = dump.Rows;
        // A resource no build got or put would be an unused resource, which a config may not have: it stays out.
        var used = rows.Inputs.Select(i => i.ResourceId).Concat(rows.Outputs.Select(o => o.ResourceId)).ToHashSet();
        var resourceNames = rows.Resources.Where(r => used.Contains(r.Id)).ToDictionary(r => r.Id, r => r.Name);
        var config = ConfigOf(rows, resourceNames);
        PipelineSetter.Checked checkedConfig;
        try
        {
            checkedConfig = PipelineSetter.Check(config.ToJsonString(), "versions dump", new JsonObject());
        }
        catch (ApiException e)
        {
            var errors = e.Errors is { Count: > 0 } list ? " " + string.Join("; ", list.Take(5).Select(x => $"{x.Path}: {x.Message}")) : "";
            throw new VersionsDbImportException($"the dump does not make a valid pipeline: {e.Message}{errors}");
        }
        var set = await store.SetPipelineAsync(PipelineSetter.ToInput(pipelineName, checkedConfig, pausedIfNew: true, "ferry debug import-versions-db"), cancellationToken);
        var resourceIds = (await store.ListResourcesAsync(set.PipelineId, cancellationToken: cancellationToken)).ToDictionary(r => r.Name, r => r.Id);
        var jobIds = (await store.ListJobsAsync(set.PipelineId, cancellationToken: cancellationToken)).ToDictionary(j => j.Name, j => j.Id);
        int ResourceId(int dumpId) => resourceIds[resourceNames[dumpId]];
        var jobNames = rows.Jobs.ToDictionary(j => j.Id, j => j.Name);

        var versions = rows.Versions.Where(v => resourceNames.ContainsKey(v.ResourceId)).Select(v => new ImportedVersion(ResourceId(v.ResourceId), v.VersionId, Name(v.ResourceId, v.VersionId), v.CheckOrder, true, v.Disabled)).ToList();
        // Builds may name versions of an old scope: they go in too, outside the resource's current scope.
        var known = rows.Versions.Select(v => (v.ResourceId, v.VersionId)).ToHashSet();
        var named = rows.Inputs.Select(i => (i.ResourceId, i.VersionId)).Concat(rows.Outputs.Select(o => (o.ResourceId, o.VersionId)));
        foreach (var (resourceId, versionId) in named.Where(n => resourceNames.ContainsKey(n.ResourceId) && known.Add(n)))
        {
            versions.Add(new ImportedVersion(ResourceId(resourceId), versionId, Name(resourceId, versionId), 0, false, false));
        }
        var builds = rows.Builds.Where(b => jobNames.ContainsKey(b.JobId))
            .Select(b => new ImportedBuild(b.Id, jobIds[jobNames[b.JobId]], b.Succeeded, b.RerunOf)).ToList();
        var buildKeys = builds.Select(b => b.Key).ToHashSet();
        var import = new HistoryImport(set.PipelineId, versions, builds,
            [.. rows.Inputs.Where(i => buildKeys.Contains(i.BuildId) && resourceNames.ContainsKey(i.ResourceId))
                .Select(i => new ImportedUse(i.BuildId, i.InputName, ResourceId(i.ResourceId), i.VersionId))],
            [.. rows.Outputs.Where(o => buildKeys.Contains(o.BuildId) && resourceNames.ContainsKey(o.ResourceId))
                .Select(o => new ImportedUse(o.BuildId, "", ResourceId(o.ResourceId), o.VersionId))],
            [.. rows.Pipes.Where(p => buildKeys.Contains(p.FromBuildId) && buildKeys.Contains(p.ToBuildId)).Select(p => (p.FromBuildId, p.ToBuildId))]);
        return await store.ImportHistoryAsync(import, cancellationToken);
    }

    private static string Name(int resourceId, long versionId) => $"imported-r{resourceId}v{versionId}";

    /// <summary>
    /// The pipeline as JSON (which is YAML): every resource, and per job a get for each input name its builds used (the
    /// newest build's resource for a name), so resolving a job asks what its history asked.
    /// </summary>
    private static JsonObject ConfigOf(VersionsDumpRows rows, Dictionary<int, string> resourceNames)
    {
        var resources = new JsonArray([.. resourceNames.OrderBy(r => r.Key).Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Value,
            ["type"] = "time",
            ["source"] = new JsonObject { ["interval"] = "24h" },
        })]);
        var buildJobs = rows.Builds.ToDictionary(b => b.Id, b => b.JobId);
        var inputsByJob = rows.Inputs.Where(i => buildJobs.ContainsKey(i.BuildId) && resourceNames.ContainsKey(i.ResourceId) && i.InputName.Length > 0)
            .GroupBy(i => buildJobs[i.BuildId])
            .ToDictionary(g => g.Key, g => g.GroupBy(i => i.InputName, StringComparer.Ordinal).Select(n => n.MaxBy(i => i.BuildId)).OrderBy(i => i.InputName, StringComparer.Ordinal).ToList());
        var putsByJob = rows.Outputs.Where(o => buildJobs.ContainsKey(o.BuildId) && resourceNames.ContainsKey(o.ResourceId))
            .GroupBy(o => buildJobs[o.BuildId]).ToDictionary(g => g.Key, g => g.Select(o => o.ResourceId).Distinct().Order().ToList());
        var jobs = new JsonArray([.. rows.Jobs.Select(j =>
        {
            var gets = inputsByJob.GetValueOrDefault(j.Id, []).Select(i => (JsonNode)new JsonObject { ["get"] = i.InputName, ["resource"] = resourceNames[i.ResourceId] });
            // A resource its builds put and never got: a put, so the config uses it as the history does.
            var gotten = inputsByJob.GetValueOrDefault(j.Id, []).Select(i => i.ResourceId).ToHashSet();
            var puts = putsByJob.GetValueOrDefault(j.Id, []).Where(r => !gotten.Contains(r)).Select(r => (JsonNode)new JsonObject { ["put"] = resourceNames[r] });
            var plan = new JsonArray([.. gets, .. puts]);
            if (plan.Count == 0)
            {
                plan.Add(new JsonObject { ["task"] = "none", ["config"] = new JsonObject { ["platform"] = "linux", ["run"] = new JsonObject { ["path"] = "true" } } });
            }
            return (JsonNode)new JsonObject { ["name"] = j.Name, ["plan"] = plan };
        })]);
        return new JsonObject { ["resources"] = resources, ["jobs"] = jobs };
    }
}

/// <summary>A dump that cannot be imported, or a pipeline name already taken; the message says which.</summary>
public sealed class VersionsDbImportException(string message) : Exception(message);
