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
    public static PlanNode Compile(PipelineConfig pipeline, EnvironmentConfig environment, long promotionId, string releaseName, Release release)
    {
        var compiler = Compiler(pipeline, release);
        var root = new PromotionPlan
        {
            Id = compiler.NextId(),
            PromotionId = promotionId,
            Environment = environment.Name,
            Release = releaseName,
            Fetch = Fetch(compiler, environment, release),
            Deploy = compiler.CompileSteps(environment.Deploy),
            Verify = environment.Verify.Count > 0 ? compiler.CompileSteps(environment.Verify) : null,
        };
        return environment.OnFailure is { } hook
            ? new OnFailurePlan { Id = compiler.NextId(), Step = root, Hook = compiler.Compile(hook) }
            : root;
    }

    /// <summary>The <c>teardown:</c> plan with the last release's versions fetched first; null when there is none.</summary>
    public static PlanNode? CompileTeardown(PipelineConfig pipeline, EnvironmentConfig environment, Release? release)
    {
        if (environment.Teardown.Count == 0)
        {
            return null;
        }
        var compiler = Compiler(pipeline, release);
        var steps = compiler.CompileSteps(environment.Teardown);
        return release is null ? steps : new DoPlan { Id = compiler.NextId(), Steps = [Fetch(compiler, environment, release), steps] };
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
