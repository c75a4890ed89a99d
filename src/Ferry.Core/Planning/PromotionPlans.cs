using System.Text.Json.Nodes;
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
    /// <param name="expect">For an instance-bound environment: what its instance should run now (null before the first deploy).</param>
    public static PlanNode Compile(PipelineConfig pipeline, EnvironmentConfig environment, long promotionId, string releaseName, Release release,
        string? name = null, InstanceExpectation? expect = null)
    {
        var compiler = Compiler(pipeline, release);
        var root = new PromotionPlan
        {
            Id = compiler.NextId(),
            PromotionId = promotionId,
            Environment = name ?? environment.Name,
            Release = releaseName,
            Fetch = Fetch(compiler, environment, release),
            Deploy = environment is { Deploy.Count: 0, Instance: { IsInline: true } instance }
                ? InstanceDeploy(pipeline, compiler, environment, instance, release, name ?? environment.Name, expect)
                : compiler.CompileSteps(environment.Deploy),
            Verify = environment.Verify.Count > 0 ? compiler.CompileSteps(environment.Verify) : null,
        };
        return environment.OnFailure is { } hook
            ? new OnFailurePlan { Id = compiler.NextId(), Step = root, Hook = compiler.Compile(hook) }
            : root;
    }

    /// <summary>
    /// An instance-bound environment's deploy: a put of the instance's type that pushes the release's snapshot
    /// (<c>&lt;resource&gt;/flows.json</c>, fetched first) into the instance, environment values chosen by
    /// <c>env_keys</c>. The instance is no pipeline resource: the runner records the version the put reports as the
    /// environment's deployed snapshot. With <paramref name="expect"/>, the put refuses to overwrite hand edits.
    /// </summary>
    private static PutPlan InstanceDeploy(PipelineConfig pipeline, PlanCompiler compiler, EnvironmentConfig environment, InstanceBinding instance,
        Release release, string name, InstanceExpectation? expect)
    {
        var carried = release.Items.Select(i => i.Resource).Where(r => pipeline.FindResource(r)?.Type == instance.Type).ToList();
        if (carried.Count != 1)
            throw new PlanCompileException($"{environment.Path}.instance",
                $"the release must carry exactly one {instance.Type} resource to deploy into the instance; it carries " +
                (carried.Count == 0 ? "none" : string.Join(", ", carried)));
        var @params = new JsonObject { ["flows"] = $"{carried[0]}/flows.json", ["env_keys"] = EnvKeysText(environment.EnvKeys) };
        if (expect is not null)
        {
            @params["expect_snapshot"] = expect.Snapshot;
            @params["expect_shape"] = expect.Shape;
            if (expect.Rev is not null)
                @params["expect_rev"] = expect.Rev;
            @params["force"] = expect.Force;
        }
        return new PutPlan
        {
            Id = compiler.NextId(),
            Name = "instance",
            Resource = $"instance({name})",
            Type = instance.Type ?? "",
            Source = instance.Source is null ? [] : (JsonObject)instance.Source.DeepClone(),
            Params = @params,
            Inputs = PutInputs.Listed(carried[0]),
            NoGet = true,
        };
    }

    private static string EnvKeysText(EnvKeysMode mode) => mode switch
    {
        EnvKeysMode.Merge => "merge",
        EnvKeysMode.None => "none",
        _ => "keys-only",
    };

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
