using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;

namespace Ferry.Engine.Promoting;

/// <summary>One environment's settings as the current config declares them, under the name the store knows it by.</summary>
/// <param name="Name">The environment's name (for a per-pull-request environment, <c>pr-&lt;branch&gt;</c>).</param>
/// <param name="Config">Its declaration (for a per-pull-request environment, the <c>for_each</c> one it was made from).</param>
/// <param name="Branch">The branch a per-pull-request environment follows; null otherwise.</param>
/// <param name="Head">The branch's head commit now (a per-pull-request environment).</param>
public sealed record EnvironmentSettings(string Name, EnvironmentConfig Config, EnvironmentPolicy Policy, IReadOnlyList<string> ReleaseResources,
    IReadOnlyList<string> FromJobs, string? Branch = null, string? Head = null)
{
    /// <summary>Whether a release is of the kind this environment takes (<see cref="EnvironmentPolicy.Fits"/>).</summary>
    public bool Fits(Release release) => Policy.Fits(release);

    public ApprovalRule? Approval => Policy.Approval;

    /// <summary>A <c>for_each</c> declaration itself: no release goes there, only into its per-branch environments.</summary>
    public bool IsTemplate => Policy.IsTemplate;

    /// <summary>Keys the file declares for the environment, required or not.</summary>
    public IReadOnlyList<VariableKey> Keys => PipelineEnvironments.Keys(Config);

    /// <summary>Plain values the file gives; values set through the API win over them.</summary>
    public IReadOnlyDictionary<string, string> FileValues => PipelineEnvironments.Values(Config);

    /// <summary>Settings whose <see cref="Policy"/> carries which releases the environment takes.</summary>
    public static EnvironmentSettings Create(string name, EnvironmentConfig config, IReadOnlyList<string> releaseResources, IReadOnlyList<string> fromJobs,
        string? branch = null, string? head = null) =>
        new(name, config, PipelineEnvironments.Policy(config) with { Name = name, ReleaseResources = releaseResources, Branch = branch },
            releaseResources, fromJobs, branch, head);

    /// <summary>The settings of every environment the config declares, by name.</summary>
    public static IReadOnlyDictionary<string, EnvironmentSettings> All(PipelineConfig config)
    {
        var releases = EnvironmentReleases.Resolve(config);
        return config.Environments.ToDictionary(
            e => e.Name,
            e => Create(e.Name, e, releases.GetValueOrDefault(e.Name) ?? [], PipelineEnvironments.FromJobs(config, e)),
            StringComparer.Ordinal);
    }
}
