using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
using Ferry.Engine.Resources.Git;
using Ferry.Storage;

namespace Ferry.Engine.Promoting;

/// <summary>
/// Per-pull-request environments: an environment declared with <c>for_each: R</c>, R a git resource listing branches
/// (<c>source.branches: "pr/*"</c>), stands for one environment per branch that exists now, named
/// <c>&lt;declaration&gt;-&lt;branch&gt;</c> (<c>pr-42</c> for branch <c>pr/42</c> of an environment named <c>pr</c>).
/// Each branch head is a release of its own that carries <c>R: {ref, branch}</c>.
/// </summary>
public sealed class PullRequestEnvironments(IStore store)
{
    /// <summary>The per-branch environments of every <c>for_each</c> declaration, from the resource's newest branch set.</summary>
    public async Task<IReadOnlyList<EnvironmentSettings>> InstancesAsync(PipelineRecord pipeline, PipelineConfig config, CancellationToken cancellationToken)
    {
        var instances = new List<EnvironmentSettings>();
        foreach (var declaration in config.Environments.Where(e => e.ForEach is not null))
        {
            var resource = config.FindResource(declaration.ForEach!);
            var record = resource is null ? null : await store.GetResourceAsync(pipeline.Id, resource.Name, cancellationToken);
            var latest = record is null ? null : await store.GetLatestVersionAsync(record.Id, cancellationToken);
            if (latest is null || !latest.Version.Version.ContainsKey(GitBranchSet.BranchesField))
                continue;
            var pattern = resource!.Source["branches"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : "*";
            foreach (var (branch, head) in GitBranchSet.Heads(latest.Version))
            {
                var name = $"{declaration.Name}-{Slug(GitBranchSet.ShortName(pattern, branch))}";
                instances.Add(EnvironmentSettings.Create(name, declaration, [declaration.ForEach!], [], branch, head));
            }
        }
        return instances;
    }

    /// <summary>The <c>for_each</c> declaration a per-branch environment was made from, by its name (<c>pr-42</c>: <c>pr</c>); null for any other name.</summary>
    public static EnvironmentConfig? DeclarationOf(PipelineConfig config, string environment) =>
        config.Environments.FirstOrDefault(e => e.ForEach is not null && environment.StartsWith(e.Name + "-", StringComparison.Ordinal));

    /// <summary>The release of a per-branch environment's head now (formed once; the same head is the same release).</summary>
    public async Task<SavedRelease?> FormAsync(PipelineRecord pipeline, EnvironmentSettings instance, CancellationToken cancellationToken)
    {
        if (instance.Branch is not { } branch || instance.Head is not { Length: > 0 } head)
            return null;
        var resource = await store.GetResourceAsync(pipeline.Id, instance.Config.ForEach!, cancellationToken);
        if (resource is null)
            return null;
        var version = await store.SaveDetachedVersionAsync(resource.Id, GitBranchSet.BranchHead(branch, head), cancellationToken);
        return await store.SaveReleaseAsync(pipeline.Id, [new ReleaseVersionInput(resource.Id, version.Id)], cancellationToken: cancellationToken);
    }

    /// <summary>Lower-case letters, digits, <c>-</c>, <c>_</c> and <c>.</c>; anything else becomes <c>-</c>.</summary>
    private static string Slug(string name) =>
        string.Concat(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-'));
}
