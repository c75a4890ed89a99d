using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Resources.Git;

/// <summary>The built-in <c>git</c> type, through the git command line.</summary>
internal sealed class GitResourceType(ProcessRunner processes) : IResourceType, ICommitHistory
{
    public string Name => "git";

    public async Task<IReadOnlyList<ResourceVersion>> CheckAsync(ResourceCall call, JsonObject source, ResourceVersion? from, CancellationToken cancellation)
    {
        var cache = GitCache.For(call, GitSource.Parse(source), processes);
        if (cache.Source.ListsBranches || cache.Source.TagFilter is not null)
        {
            await cache.FetchAsync(cancellation);
            return cache.Source.ListsBranches
                ? await GitBranchCheck.CheckAsync(cache, from, cancellation)
                : await GitCheck.TagsAsync(cache, from, cancellation);
        }
        // The branch's head first: when it is still the newest version known, there is nothing to fetch.
        var remote = await cache.RemoteHeadAsync(cancellation);
        if (from is not null && remote.Commit is not null && from.Version.GetValueOrDefault("ref") == remote.Commit)
            return [from];
        // A branch the remote lacks gets the whole fetch, and the check then says it is missing.
        var branch = await cache.FetchAsync(cancellation, remote, followedOnly: remote.Commit is not null);
        return await GitCheck.CommitsAsync(cache, branch, from, cancellation, remote.Commit);
    }

    public Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject source, ResourceVersion version, JsonObject @params, string directory, CancellationToken cancellation) =>
        GitGet.GetAsync(GitCache.For(call, GitSource.Parse(source), processes), version, @params, directory, cancellation);

    public Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject source, JsonObject @params, string artifactsRoot, CancellationToken cancellation) =>
        GitPut.PutAsync(GitCache.For(call, GitSource.Parse(source), processes), @params, artifactsRoot, cancellation);

    public async Task<IReadOnlyList<CommitSummary>> CommitsBetweenAsync(ResourceCall call, JsonObject source, ResourceVersion? from, ResourceVersion to, int limit,
        CancellationToken cancellation)
    {
        if (!to.Version.TryGetValue("ref", out var toRef) || (from is not null && !from.Version.ContainsKey("ref")))
            return [];
        var cache = GitCache.For(call, GitSource.Parse(source), processes);
        if (!File.Exists(Path.Combine(cache.Path, "HEAD")) || !await cache.HasCommitAsync(toRef, cancellation))
            await cache.FetchAsync(cancellation);
        var range = from is null ? toRef : $"{from.Version["ref"]}..{toRef}";
        var result = await cache.Git.TryAsync(cache.Path, ["log", "-n", limit.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format=%H%x1f%s%x1f%an", range], cancellation);
        if (!result.Ok)
            return [];
        return [.. GitCheck.Lines(result.Stdout).Select(line => line.Split('\x1f')).Where(f => f.Length == 3).Select(f => new CommitSummary(f[0], f[1], f[2]))];
    }
}
