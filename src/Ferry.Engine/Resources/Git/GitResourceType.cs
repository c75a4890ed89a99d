using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Git;

/// <summary>The built-in <c>git</c> type, through the git command line.</summary>
internal sealed class GitResourceType : IResourceType
{
    public string Name => "git";

    public async Task<IReadOnlyList<ResourceVersion>> CheckAsync(ResourceCall call, JsonObject source, ResourceVersion? from, CancellationToken cancellation)
    {
        var cache = GitCache.For(call, GitSource.Parse(source));
        var branch = await cache.FetchAsync(cancellation);
        if (cache.Source.ListsBranches)
            return await GitBranchCheck.CheckAsync(cache, from, cancellation);
        if (cache.Source.TagFilter is not null)
            return await GitCheck.TagsAsync(cache, from, cancellation);
        return await GitCheck.CommitsAsync(cache, branch, from, cancellation);
    }

    public Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject source, ResourceVersion version, JsonObject @params, string directory, CancellationToken cancellation) =>
        GitGet.GetAsync(GitCache.For(call, GitSource.Parse(source)), version, @params, directory, cancellation);

    public Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject source, JsonObject @params, string artifactsRoot, CancellationToken cancellation) =>
        GitPut.PutAsync(GitCache.For(call, GitSource.Parse(source)), @params, artifactsRoot, cancellation);
}
