using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;
using Ferry.Engine.Resources.Git;

namespace Ferry.Engine.Promoting;

/// <summary>One environment's settings as the current config declares them, under the name the store knows it by.</summary>
/// <param name="Name">The environment's name (for a per-pull-request environment, <c>pr-&lt;branch&gt;</c>).</param>
/// <param name="Config">Its declaration (for a per-pull-request environment, the <c>for_each</c> one it was made from).</param>
/// <param name="Branch">The branch a per-pull-request environment follows; null otherwise.</param>
/// <param name="Head">The branch's head commit now (a per-pull-request environment).</param>
public sealed record EnvironmentSettings(string Name, EnvironmentConfig Config, EnvironmentPolicy Policy, IReadOnlyList<string> ReleaseResources,
    IReadOnlyList<string> FromJobs, string? Branch = null, string? Head = null)
{
    /// <summary>
    /// Whether a release is of the kind this environment takes: it carries exactly the environment's release resources
    /// and, for a per-pull-request environment, its own branch's commits. Other releases are never candidates here.
    /// </summary>
    public bool Fits(Release release)
    {
        if (ReleaseResources.Count > 0 && !release.Items.Select(i => i.Resource).ToHashSet(StringComparer.Ordinal).SetEquals(ReleaseResources))
            return false;
        var branches = release.Items.Select(i => i.Version.GetValueOrDefault(GitBranchSet.BranchField)).OfType<string>().ToList();
        // An environment that takes releases from per-pull-request environments (and declares no release: of its own)
        // takes theirs: a pull request environment is then a gate.
        return Branch is null ? branches.Count == 0 || ReleaseResources.Count == 0 : branches.Count > 0 && branches.All(b => b == Branch);
    }

    public ApprovalRule? Approval => Policy.Approval;

    /// <summary>A <c>for_each</c> declaration itself: no release goes there, only into its per-branch environments.</summary>
    public bool IsTemplate => Config.ForEach is not null && Branch is null;

    /// <summary>Keys the file declares for the environment, required or not.</summary>
    public IReadOnlyList<VariableKey> Keys => PipelineEnvironments.Keys(Config);

    /// <summary>Plain values the file gives; values set through the API win over them.</summary>
    public IReadOnlyDictionary<string, string> FileValues => PipelineEnvironments.Values(Config);

    /// <summary>The settings of every environment the config declares, by name.</summary>
    public static IReadOnlyDictionary<string, EnvironmentSettings> All(PipelineConfig config)
    {
        var releases = EnvironmentReleases.Resolve(config);
        return config.Environments.ToDictionary(
            e => e.Name,
            e => new EnvironmentSettings(e.Name, e, PipelineEnvironments.Policy(e), releases.GetValueOrDefault(e.Name) ?? [],
                PipelineEnvironments.FromJobs(config, e)),
            StringComparer.Ordinal);
    }
}
