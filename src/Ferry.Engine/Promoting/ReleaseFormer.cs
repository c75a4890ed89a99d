using System.Collections.Concurrent;
using Ferry.Core.Builds;
using Ferry.Core.Pipelines;
using Ferry.Storage;

namespace Ferry.Engine.Promoting;

/// <summary>
/// Forms a first environment's releases from each successful build of its <c>from</c> jobs: the build's versions
/// (outputs winning over inputs) of the environment's release resources. With several <c>from</c> jobs, the versions
/// must have passed every one of them (or any, with <c>from_policy: any</c>). Releases are content-addressed, so
/// looking at a build twice (after a restart) forms nothing new. A first environment bound to an instance resource
/// (<c>instance: dev-flows</c>) forms a release from each new version (snapshot) of that resource instead.
/// </summary>
public sealed class ReleaseFormer(IStore store)
{
    /// <summary>Builds looked at per job and pass; older successful builds made their releases in earlier passes.</summary>
    private const int Window = 50;

    private readonly ConcurrentDictionary<(int Pipeline, int Job), long> _seen = new();

    /// <summary>
    /// The highest check order of an instance resource's versions already made releases, by pipeline and resource id.
    /// With the pipeline's creation time: SQLite gives a new pipeline (and its resources) a destroyed one's ids, and
    /// the new resource's check orders start again at 1.
    /// </summary>
    private readonly ConcurrentDictionary<(int Pipeline, DateTimeOffset Created, int Resource), long> _seenVersions = new();

    /// <summary>The versions of successful builds, which never change: read once per build.</summary>
    private readonly ConcurrentDictionary<long, Dictionary<string, Used>> _versions = new();

    /// <summary>Drops what is kept for a destroyed pipeline.</summary>
    public void Forget(int pipelineId)
    {
        foreach (var key in _seen.Keys.Where(k => k.Pipeline == pipelineId))
            _seen.TryRemove(key, out _);
        foreach (var key in _seenVersions.Keys.Where(k => k.Pipeline == pipelineId))
            _seenVersions.TryRemove(key, out _);
    }

    /// <returns>The numbers of the releases this pass formed.</returns>
    public async Task<IReadOnlyList<int>> FormAsync(PipelineRecord pipeline, IEnumerable<EnvironmentSettings> firstEnvironments,
        CancellationToken cancellationToken)
    {
        var formed = new List<int>();
        var first = firstEnvironments.ToList();
        foreach (var resource in first.Select(e => e.Config.Instance?.ResourceName).OfType<string>().Distinct(StringComparer.Ordinal))
            formed.AddRange(await FormFromInstanceAsync(pipeline, resource, cancellationToken));
        foreach (var environment in first.Where(e => e.FromJobs.Count > 0 && e.ReleaseResources.Count > 0))
        {
            var succeeded = new Dictionary<string, List<BuildVersions>>(StringComparer.Ordinal);
            foreach (var jobName in environment.FromJobs)
            {
                succeeded[jobName] = await SucceededAsync(pipeline.Id, jobName, cancellationToken);
            }
            foreach (var jobName in environment.FromJobs)
            {
                var job = await store.GetJobAsync(pipeline.Id, jobName, cancellationToken);
                if (job is null)
                    continue;
                var seen = _seen.GetValueOrDefault((pipeline.Id, job.Id));
                foreach (var build in succeeded[jobName].Where(b => b.BuildId > seen).OrderBy(b => b.BuildId))
                {
                    if (Candidate(environment, build) is { } versions && PassedOthers(environment, jobName, versions, succeeded))
                    {
                        var saved = await store.SaveReleaseAsync(pipeline.Id,
                            [.. versions.Values.Select(v => new ReleaseVersionInput(v.ResourceId, v.VersionId))], build.BuildId, cancellationToken);
                        if (saved.IsNew)
                            formed.Add(saved.Release.Number);
                    }
                    _seen[(pipeline.Id, job.Id)] = Math.Max(_seen.GetValueOrDefault((pipeline.Id, job.Id)), build.BuildId);
                }
            }
        }
        return formed;
    }

    /// <summary>Releases <c>{resource: version}</c> for the instance resource's versions not looked at yet, oldest first.</summary>
    private async Task<IReadOnlyList<int>> FormFromInstanceAsync(PipelineRecord pipeline, string resourceName, CancellationToken cancellationToken)
    {
        var resource = await store.GetResourceAsync(pipeline.Id, resourceName, cancellationToken);
        if (resource is null)
            return [];
        var key = (pipeline.Id, pipeline.CreatedAt, resource.Id);
        var seen = _seenVersions.GetValueOrDefault(key);
        var page = await store.ListVersionsAsync(resource.Id, new VersionPageRequest(Window), cancellationToken);
        var formed = new List<int>();
        foreach (var version in page.Versions.Where(v => v.CheckOrder > seen).OrderBy(v => v.CheckOrder))
        {
            if (!version.Disabled)
            {
                var saved = await store.SaveReleaseAsync(pipeline.Id, [new ReleaseVersionInput(resource.Id, version.Id)], cancellationToken: cancellationToken);
                if (saved.IsNew)
                    formed.Add(saved.Release.Number);
            }
            _seenVersions[key] = Math.Max(_seenVersions.GetValueOrDefault(key), version.CheckOrder);
        }
        return formed;
    }

    private static Dictionary<string, Used>? Candidate(EnvironmentSettings environment, BuildVersions build)
    {
        var versions = new Dictionary<string, Used>(StringComparer.Ordinal);
        foreach (var resource in environment.ReleaseResources)
        {
            if (!build.Versions.TryGetValue(resource, out var used))
                return null;
            versions[resource] = used;
        }
        return versions;
    }

    /// <summary>Every other <c>from</c> job that uses a release resource must have succeeded with the same version of it.</summary>
    private static bool PassedOthers(EnvironmentSettings environment, string job, Dictionary<string, Used> versions,
        Dictionary<string, List<BuildVersions>> succeeded)
    {
        var others = environment.FromJobs.Where(j => j != job).ToList();
        if (others.Count == 0)
            return true;
        bool Passed(string other) => succeeded[other].Any(b =>
            versions.All(v => !b.Versions.TryGetValue(v.Key, out var used) || used.VersionId == v.Value.VersionId)
            && versions.Keys.Any(b.Versions.ContainsKey));
        return environment.Config.FromPolicy == FromPolicy.Any || others.All(Passed);
    }

    private async Task<List<BuildVersions>> SucceededAsync(int pipelineId, string jobName, CancellationToken cancellationToken)
    {
        var job = await store.GetJobAsync(pipelineId, jobName, cancellationToken);
        if (job is null)
            return [];
        var result = new List<BuildVersions>();
        foreach (var build in await store.ListBuildsAsync(new BuildQuery(pipelineId, job.Id, Limit: Window), cancellationToken))
        {
            if (build.Status == BuildStatus.Succeeded)
                result.Add(new BuildVersions(build.Id, await VersionsAsync(build.Id, cancellationToken)));
        }
        return result;
    }

    private async Task<Dictionary<string, Used>> VersionsAsync(long buildId, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue(buildId, out var known))
            return known;
        var versions = new Dictionary<string, Used>(StringComparer.Ordinal);
        foreach (var input in await store.GetBuildInputsAsync(buildId, cancellationToken))
            versions[input.ResourceName] = new Used(input.ResourceId, input.VersionId);
        foreach (var output in await store.GetBuildOutputsAsync(buildId, cancellationToken))
            versions[output.ResourceName] = new Used(output.ResourceId, output.VersionId);
        if (_versions.Count > 10_000)
            _versions.Clear();
        _versions[buildId] = versions;
        return versions;
    }

    private sealed record Used(int ResourceId, long VersionId);

    private sealed record BuildVersions(long BuildId, Dictionary<string, Used> Versions);
}
