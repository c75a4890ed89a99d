using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Pipelines.Steps;
using Ferry.Core.Plans;
using Ferry.Core.Validation;

namespace Ferry.Core.Planning;

/// <summary>
/// Compiles configured steps into a build plan (Concourse's planner): resources become type and source, the
/// scheduler's chosen versions are fixed into the gets, and modifiers become steps that wrap steps, outermost
/// first as Concourse parses them: ensure, on_error, on_abort, on_failure, on_success, across, attempts, timeout.
/// </summary>
public sealed class PlanCompiler
{
    private readonly PipelineConfig _pipeline;
    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> _versions;
    private readonly string _idPrefix;
    private int _next;

    /// <param name="versions">The version each get step (by its name) must fetch; a get not listed fetches the latest.</param>
    /// <param name="idPrefix">Prefixes every plan id, so plans compiled for one build (deploy, verify) never share ids.</param>
    public PlanCompiler(PipelineConfig pipeline, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> versions, string idPrefix = "")
    {
        _pipeline = pipeline;
        _versions = versions;
        _idPrefix = idPrefix;
    }

    /// <summary>A job's plan: its steps in order, wrapped in the job's own hooks.</summary>
    public PlanNode CompileJob(JobConfig job)
    {
        var plan = CompileSteps(job.Plan);
        return Wrap(plan, job.OnSuccess, job.OnFailure, job.OnError, job.OnAbort, job.Ensure);
    }

    /// <summary>Steps run one after another, as a <c>do</c>.</summary>
    public PlanNode CompileSteps(IReadOnlyList<Step> steps) =>
        new DoPlan { Id = NextId(), Steps = steps.Select(Compile).ToList() };

    public PlanNode Compile(Step step)
    {
        var plan = Core(step);
        if (step.Timeout is { } timeout)
            plan = new TimeoutPlan { Id = NextId(), Duration = ParseDuration(timeout, step), Step = plan };
        if (step.Attempts is { } attempts)
            plan = new RetryPlan { Id = NextId(), Attempts = attempts, Step = plan };
        if (step.Across is { } across)
            plan = new AcrossPlan
            {
                Id = NextId(),
                Vars = across.Select(v => new AcrossPlanVar(v.Var, v.Values as JsonArray ?? [])).ToList(),
                MaxInFlight = across.Any(v => v.MaxInFlightAll) ? int.MaxValue : across.Max(v => v.MaxInFlight ?? 1),
                FailFast = step.AcrossFailFast,
                Step = plan,
            };
        return Wrap(plan, step.OnSuccess, step.OnFailure, step.OnError, step.OnAbort, step.Ensure);
    }

    private PlanNode Wrap(PlanNode plan, Step? onSuccess, Step? onFailure, Step? onError, Step? onAbort, Step? ensure)
    {
        if (onSuccess is not null)
            plan = new OnSuccessPlan { Id = NextId(), Step = plan, Hook = Compile(onSuccess) };
        if (onFailure is not null)
            plan = new OnFailurePlan { Id = NextId(), Step = plan, Hook = Compile(onFailure) };
        if (onAbort is not null)
            plan = new OnAbortPlan { Id = NextId(), Step = plan, Hook = Compile(onAbort) };
        if (onError is not null)
            plan = new OnErrorPlan { Id = NextId(), Step = plan, Hook = Compile(onError) };
        if (ensure is not null)
            plan = new EnsurePlan { Id = NextId(), Step = plan, Hook = Compile(ensure) };
        return plan;
    }

    private PlanNode Core(Step step) => step switch
    {
        GetStep get => CompileGet(get),
        PutStep put => CompilePut(put),
        TaskStep task => CompileTask(task),
        SetPipelineStep set => new SetPipelinePlan
        {
            Id = NextId(),
            Name = set.Name,
            File = set.File ?? throw new PlanCompileException(step.Path, "set_pipeline needs a file"),
            Vars = Clone(set.Vars),
            VarFiles = set.VarFiles,
            InstanceVars = Clone(set.InstanceVars),
            Team = set.Team,
        },
        LoadVarStep load => new LoadVarPlan
        {
            Id = NextId(),
            Name = load.Name,
            File = load.File ?? throw new PlanCompileException(step.Path, "load_var needs a file"),
            Format = load.Format,
            Reveal = load.Reveal,
        },
        InParallelStep parallel => new InParallelPlan
        {
            Id = NextId(),
            Steps = parallel.Steps.Select(Compile).ToList(),
            Limit = parallel.Limit,
            FailFast = parallel.FailFast,
        },
        DoStep @do => new DoPlan { Id = NextId(), Steps = @do.Steps.Select(Compile).ToList() },
        TryStep @try => new TryPlan { Id = NextId(), Step = Compile(@try.Step) },
        _ => throw new PlanCompileException(step.Path, $"a {step.Kind} step cannot run"),
    };

    /// <summary>A get of <paramref name="resource"/> into an artifact of the same name, at the version given for that name.</summary>
    public GetPlan CompileFetch(string resource, string path)
    {
        var (type, source) = Resource(resource, path);
        return new GetPlan
        {
            Id = NextId(),
            Name = resource,
            Resource = resource,
            Type = type,
            Source = source,
            Version = _versions.TryGetValue(resource, out var version) ? version : null,
        };
    }

    private GetPlan CompileGet(GetStep get)
    {
        var (type, source) = Resource(get.Resource, get.Path);
        return new GetPlan
        {
            Id = NextId(),
            Name = get.Name,
            Resource = get.Resource,
            Type = type,
            Source = source,
            Params = Clone(get.Params),
            Version = _versions.TryGetValue(get.Name, out var version) ? version : null,
            Tags = get.Tags,
        };
    }

    private PutPlan CompilePut(PutStep put)
    {
        var (type, source) = Resource(put.Resource, put.Path);
        return new PutPlan
        {
            Id = NextId(),
            Name = put.Name,
            Resource = put.Resource,
            Type = type,
            Source = source,
            Params = Clone(put.Params),
            Inputs = put.Inputs,
            GetParams = Clone(put.GetParams),
            NoGet = put.NoGet,
            Tags = put.Tags,
        };
    }

    private TaskPlan CompileTask(TaskStep task) => new()
    {
        Id = NextId(),
        Name = task.Name,
        Config = task.Config is null ? null : ToPlan(task.Config, task.Path),
        File = task.File,
        Image = task.Image,
        Params = Clone(task.Params),
        Vars = Clone(task.Vars),
        InputMapping = task.InputMapping,
        OutputMapping = task.OutputMapping,
        Privileged = task.Privileged,
        Tags = task.Tags,
    };

    /// <summary>The plan form of a task config, inline or read from a task file.</summary>
    public static TaskPlanConfig ToPlan(TaskConfig config, string path) => new()
    {
        Platform = config.Platform,
        ImageResource = config.ImageResource is { } image
            ? new TaskPlanImageResource
            {
                Type = image.Type,
                Source = Clone(image.Source),
                Params = Clone(image.Params),
                Version = image.Version?.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? ""),
            }
            : null,
        Inputs = config.Inputs,
        Outputs = config.Outputs,
        Caches = config.Caches,
        Params = Clone(config.Params),
        Run = config.Run is { } run
            ? new TaskPlanRun { Path = run.RunPath, Args = run.Args, Dir = run.Dir, User = run.User }
            : throw new PlanCompileException(path, "the task config has no run"),
        ContainerLimits = config.ContainerLimits,
    };

    private (string Type, JsonObject Source) Resource(string name, string path)
    {
        var resource = _pipeline.FindResource(name)
            ?? throw new PlanCompileException(path, $"unknown resource '{name}'");
        var source = Clone(resource.Source);
        // resource_types defaults sit under the resource's own source, as in Concourse.
        var declared = _pipeline.ResourceTypes.FirstOrDefault(t => t.Name == resource.Type);
        foreach (var (key, value) in declared?.Defaults ?? [])
        {
            if (!source.ContainsKey(key))
                source[key] = value?.DeepClone();
        }
        return (resource.Type, source);
    }

    private static TimeSpan ParseDuration(string text, Step step) =>
        GoDuration.TryParse(text, out var duration)
            ? duration
            : throw new PlanCompileException($"{step.Path}.timeout", $"invalid duration '{text}'");

    private static JsonObject Clone(JsonObject? node) => node is null ? [] : (JsonObject)node.DeepClone();

    /// <summary>A plan id not used yet in this compiler's plan.</summary>
    public string NextId() => _idPrefix + (++_next).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A step that cannot become a plan; names the config path.</summary>
public sealed class PlanCompileException(string path, string reason) : Exception($"{path}: {reason}")
{
    public string ConfigPath { get; } = path;
}
