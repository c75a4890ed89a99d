using Ferry.Core.Resolving;

namespace Ferry.Core.Tests.Resolving;

/// <summary>A tiny pipeline for rule tests: resources app=1, lib=2; jobs unit=1, integration=2, current=3.</summary>
internal sealed class Pipeline
{
    public const int App = 1, Lib = 2, Unit = 1, Integration = 2, Current = 3;

    public ResolverSnapshotBuilder Builder { get; } = new ResolverSnapshotBuilder()
        .Resource(App, "app").Resource(Lib, "lib")
        .Job(Unit, "unit").Job(Integration, "integration").Job(Current, "current");

    /// <summary>Versions 1..count of a resource, id = resource*100 + n, check order n.</summary>
    public Pipeline Versions(int resource, int count, params int[] disabled)
    {
        for (var n = 1; n <= count; n++)
        {
            Builder.Version(resource, V(resource, n), n, disabled.Contains(n));
        }
        return this;
    }

    /// <summary>A succeeded build of <paramref name="job"/> whose inputs are the given (resource, n) versions.</summary>
    public Pipeline Passed(long buildId, int job, params (int Resource, int N)[] versions) => Run(buildId, job, true, null, versions);

    public Pipeline Run(long buildId, int job, bool succeeded, long? rerunOf, params (int Resource, int N)[] versions)
    {
        Builder.Build(buildId, job, succeeded, rerunOf);
        foreach (var (resource, n) in versions)
        {
            Builder.Input(buildId, resource == App ? "app" : "lib", resource, V(resource, n));
        }
        return this;
    }

    public static long V(int resource, int n) => resource * 100 + n;

    public Resolution Resolve(params InputConfig[] inputs) => Resolver.Resolve(Builder.ToSnapshot(), "current", inputs);
}
