using Ferry.Core.Pipelines;
using Ferry.Core.Plans;
using Ferry.Core.Promotion;

namespace Ferry.Core.Planning;

/// <summary>Compiles an environment's plans for one release: the promotion's build and, for a per-pull-request environment, its teardown.</summary>
public static class PromotionPlans
{
    /// <summary>
    /// Fetch every version of <paramref name="release"/> (in parallel), then deploy, then verify; the environment's
    /// <c>on_failure:</c> step, when it has one, wraps the whole.
    /// </summary>
    /// <exception cref="PlanCompileException">A step or a release resource the pipeline no longer has.</exception>
    /// <param name="name">The environment's name, when it differs from its declaration's (a per-pull-request environment).</param>
    public static PlanNode Compile(PipelineConfig pipeline, EnvironmentConfig environment, long promotionId, string releaseName, Release release,
        string? name = null)
    {
        var compiler = Compiler(pipeline, release);
        var root = new PromotionPlan
        {
            Id = compiler.NextId(),
            PromotionId = promotionId,
            Environment = name ?? environment.Name,
            Release = releaseName,
            Fetch = Fetch(compiler, environment, release),
            Deploy = compiler.CompileSteps(environment.Deploy),
            Verify = environment.Verify.Count > 0 ? compiler.CompileSteps(environment.Verify) : null,
        };
        return environment.OnFailure is { } hook
            ? new OnFailurePlan { Id = compiler.NextId(), Step = root, Hook = compiler.Compile(hook) }
            : root;
    }

    /// <summary>
    /// The <c>teardown:</c> plan of <paramref name="environment"/> (a per-pull-request one, by its own name), with the
    /// last release's versions fetched first; null when the declaration has no teardown.
    /// </summary>
    public static TeardownPlan? CompileTeardown(PipelineConfig pipeline, EnvironmentConfig declaration, string environment, string? releaseName, Release? release)
    {
        if (declaration.Teardown.Count == 0)
        {
            return null;
        }
        var compiler = Compiler(pipeline, release);
        var steps = compiler.CompileSteps(declaration.Teardown);
        return new TeardownPlan
        {
            Id = compiler.NextId(),
            Environment = environment,
            Release = releaseName,
            Step = release is null ? steps : new DoPlan { Id = compiler.NextId(), Steps = [Fetch(compiler, declaration, release), steps] },
        };
    }

    private static PlanCompiler Compiler(PipelineConfig pipeline, Release? release) =>
        new(pipeline, release?.Items.ToDictionary(i => i.Resource, i => i.Version, StringComparer.Ordinal)
            ?? new Dictionary<string, IReadOnlyDictionary<string, string>>());

    private static InParallelPlan Fetch(PlanCompiler compiler, EnvironmentConfig environment, Release release) => new()
    {
        Id = compiler.NextId(),
        Steps = [.. release.Items.Select(i => compiler.CompileFetch(i.Resource, $"{environment.Path}.release({i.Resource})"))],
    };
}
