using BenchmarkDotNet.Attributes;
using Ferry.Core.Resolving;

namespace Ferry.Benchmarks.Resolving;

/// <summary>
/// Cost growth with history size: a synthetic pipeline of <see cref="Versions"/> versions (app, lib, tool), one unit
/// build per app version, integration builds for most of them, and the newest integration builds failing so the
/// resolver has to walk back and backtrack.
/// </summary>
[MemoryDiagnoser]
public class GrowthBenchmarks
{
    private ResolverSnapshot _snapshot = null!;

    private static readonly InputConfig[] Inputs =
    [
        new("app", "app", ["unit", "integration"]),
        new("lib", "lib", ["unit"]),
        new("tool", "tool", []),
        new("every-tool", "tool", [], VersionMode.Every),
    ];

    [Params(1_000, 10_000, 100_000, 1_000_000)]
    public int Versions { get; set; }

    [GlobalSetup]
    public void Build()
    {
        _snapshot = Synthetic(Versions);
        if (!Resolve().Ok)
        {
            throw new InvalidOperationException($"synthetic pipeline of {Versions} versions did not resolve");
        }
    }

    [Benchmark]
    public Resolution Resolve() => Resolver.Resolve(_snapshot, "current", Inputs);

    /// <summary>Worst case: integration never carried lib, so every integration build is tried, then explained.</summary>
    [Benchmark]
    public Resolution ResolveUnsatisfiable() => Resolver.Resolve(_snapshot, "current", Unsatisfiable);

    private static readonly InputConfig[] Unsatisfiable = [new("lib", "lib", ["integration"])];

    internal static ResolverSnapshot Synthetic(int versions)
    {
        const int app = 1, lib = 2, tool = 3, unit = 1, integration = 2, current = 3;
        var b = new ResolverSnapshotBuilder()
            .Resource(app, "app").Resource(lib, "lib").Resource(tool, "tool")
            .Job(unit, "unit").Job(integration, "integration").Job(current, "current");
        var apps = versions / 2;
        var libs = versions / 4;
        for (var i = 0; i < apps; i++)
        {
            b.Version(app, 1_000_000_000L + i, i);
        }
        for (var i = 0; i < libs; i++)
        {
            b.Version(lib, 2_000_000_000L + i, i);
        }
        for (var i = 0; i < versions - apps - libs; i++)
        {
            b.Version(tool, 3_000_000_000L + i, i, disabled: i % 10 == 9);
        }
        long build = 1;
        for (var i = 0; i < apps; i++)
        {
            var unitBuild = build++;
            b.Build(unitBuild, unit, succeeded: true)
                .Input(unitBuild, "app", app, 1_000_000_000L + i)
                .Input(unitBuild, "lib", lib, 2_000_000_000L + i / 2);
            // Integration fails on the newest 50 app versions and on every 7th one.
            var integrationBuild = build++;
            var passes = i < apps - 50 && i % 7 != 0;
            b.Build(integrationBuild, integration, succeeded: passes).Input(integrationBuild, "app", app, 1_000_000_000L + i);
        }
        var currentBuild = build++;
        b.Build(currentBuild, current, succeeded: true).Input(currentBuild, "every-tool", tool, 3_000_000_000L + (versions - apps - libs) / 2);
        return b.ToSnapshot();
    }
}
