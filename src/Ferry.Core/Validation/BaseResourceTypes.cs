namespace Ferry.Core.Validation;

/// <summary>Resource types a pipeline may use without declaring them: Concourse's base types and Ferry's own.</summary>
public static class BaseResourceTypes
{
    public static IReadOnlySet<string> Names { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "git", "time", "registry-image", "docker-image", "s3", "semver", "pool", "cf", "bosh-io-release",
        "bosh-io-stemcell", "github-release", "hg", "tracker", "mock", "concourse-pipeline", "bosh-deployment",
        "node-red", "npm", "oci-image",
    };
}
