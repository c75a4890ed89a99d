using Ferry.Core.Promotion;

namespace Ferry.Core.Tests.Promotion;

internal static class Chains
{
    /// <summary>development -> staging -> production.</summary>
    public static EnvironmentGraph Linear() => new([
        new EnvironmentNode("development", []),
        new EnvironmentNode("staging", ["development"]),
        new EnvironmentNode("production", ["staging"]),
    ]);

    /// <summary>development -> {qa, perf} -> production (all), and canary from qa or perf (any).</summary>
    public static EnvironmentGraph Diamond() => new([
        new EnvironmentNode("development", []),
        new EnvironmentNode("qa", ["development"]),
        new EnvironmentNode("perf", ["development"]),
        new EnvironmentNode("production", ["qa", "perf"]),
        new EnvironmentNode("canary", ["qa", "perf"], AnyUpstream: true),
    ]);

    public static ReleaseStanding R(int number, params string[] verifiedIn) =>
        new(ReleaseName.Of(number), number, new HashSet<string>(verifiedIn, StringComparer.Ordinal));
}
