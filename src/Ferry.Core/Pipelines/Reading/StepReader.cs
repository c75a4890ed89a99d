using Ferry.Core.Pipelines.Steps;
using Ferry.Core.Plans;
using Ferry.Core.Validation;
using Ferry.Core.Yaml;

namespace Ferry.Core.Pipelines.Reading;

/// <summary>Reads plan steps: which kind a step is, its own fields, then the modifiers any step may carry.</summary>
internal sealed class StepReader(DiagnosticBag diagnostics)
{
    private static readonly string[] Kinds = ["get", "put", "task", "set_pipeline", "load_var", "in_parallel", "aggregate", "do", "try"];
    private static readonly string[] Modifiers =
        ["timeout", "attempts", "tags", "on_success", "on_failure", "on_error", "on_abort", "ensure", "across", "fail_fast"];

    private readonly TaskConfigReader _tasks = new(diagnostics);

    public List<Step> Plan(YamlNode? node, string path)
    {
        var result = new List<Step>();
        switch (node)
        {
            case null or YamlScalar { IsNull: true }:
                break;
            case YamlSequence sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (Read(sequence.Items[i], $"{path}[{i}]") is { } step)
                    {
                        result.Add(step);
                    }
                }
                break;
            default:
                diagnostics.Error(node.Location, path, $"must be a list of steps, not a {node.Describe()}");
                break;
        }
        return result;
    }

    public Step? Hook(MapReader owner, string key) =>
        owner.Node(key) is { } node ? Read(node, $"{owner.Path}.{key}") : null;

    public Step? Read(YamlNode node, string path)
    {
        if (node is not YamlMapping map)
        {
            diagnostics.Error(node.Location, path, $"a step must be a mapping, not a {node.Describe()}");
            return null;
        }
        var kinds = Kinds.Where(map.Has).ToList();
        if (kinds.Count == 0)
        {
            diagnostics.Error(map.Location, path, "no step specified (get, put, task, set_pipeline, load_var, in_parallel, do or try)");
            return null;
        }
        if (kinds.Count > 1)
        {
            diagnostics.Error(map.Location, path, $"more than one step kind specified: {string.Join(", ", kinds)}");
        }
        var r = new MapReader(map, path, diagnostics);
        Step? step = kinds[0] switch
        {
            "get" => Get(r),
            "put" => Put(r),
            "task" => Task(r),
            "set_pipeline" => SetPipeline(r),
            "load_var" => LoadVar(r),
            "in_parallel" or "aggregate" => InParallel(r, kinds[0]),
            "do" => Do(r),
            _ => Try(r),
        };
        if (step is null)
        {
            return null;
        }
        r.Path = step.Path;
        ReadModifiers(r, step);
        r.Skip(kinds.Skip(1).ToArray());
        r.Finish(step);
        return step;
    }

    private static string Named(MapReader r, string kind, out string name)
    {
        name = r.String(kind) ?? "";
        // Errors in the step's own fields name the step: jobs.x.plan[2].get(app).passed.
        r.Path = $"{r.Path}.{kind}({name})";
        return r.Path;
    }

    private GetStep Get(MapReader r)
    {
        var path = Named(r, "get", out var name);
        var step = new GetStep
        {
            Path = path,
            Location = r.Location,
            Name = name,
            Resource = r.String("resource") ?? name,
            Passed = r.Strings("passed"),
            Trigger = r.Bool("trigger"),
            Version = Version(r),
            Params = r.Object("params"),
        };
        return step;
    }

    private GetVersion Version(MapReader r)
    {
        var node = r.Node("version");
        switch (node)
        {
            case null:
                return GetVersion.Latest;
            case YamlScalar { Value: "latest" }:
                return GetVersion.Latest;
            case YamlScalar { Value: "every" }:
                return GetVersion.Every;
            case YamlMapping map:
                return new GetVersion(GetVersionMode.Pinned, YamlToJson.Object(map));
            default:
                r.Error(node, "version", "must be 'latest', 'every' or a version (a mapping)");
                return GetVersion.Latest;
        }
    }

    private PutStep Put(MapReader r)
    {
        var path = Named(r, "put", out var name);
        return new PutStep
        {
            Path = path,
            Location = r.Location,
            Name = name,
            Resource = r.String("resource") ?? name,
            Params = r.Object("params"),
            Inputs = PutInputs(r),
            GetParams = r.Object("get_params"),
            NoGet = r.Bool("no_get"),
        };
    }

    private static PutInputs PutInputs(MapReader r)
    {
        switch (r.Map["inputs"])
        {
            case null or YamlScalar { IsNull: true }:
                r.Skip("inputs");
                return Core.Plans.PutInputs.All;
            case YamlScalar { Value: "all" }:
                r.Skip("inputs");
                return Core.Plans.PutInputs.All;
            case YamlScalar { Value: "detect" }:
                r.Skip("inputs");
                return Core.Plans.PutInputs.Detect;
            case YamlSequence:
                return Core.Plans.PutInputs.Listed(r.Strings("inputs"));
            case var other:
                r.Skip("inputs");
                r.Error(other, "inputs", "must be 'all', 'detect' or a list of artifact names");
                return Core.Plans.PutInputs.All;
        }
    }

    private TaskStep Task(MapReader r)
    {
        var path = Named(r, "task", out var name);
        var configNode = r.Node("config");
        TaskConfig? config = null;
        if (configNode is YamlMapping configMap)
        {
            config = _tasks.Read(configMap, path + ".config");
        }
        else if (configNode is not null)
        {
            r.Error(configNode, "config", $"must be a mapping, not a {configNode.Describe()}");
        }
        return new TaskStep
        {
            Path = path,
            Location = r.Location,
            Name = name,
            File = r.String("file"),
            Config = config,
            Image = r.String("image"),
            Privileged = r.Bool("privileged"),
            Vars = r.Object("vars"),
            Params = r.Object("params"),
            InputMapping = r.StringMap("input_mapping"),
            OutputMapping = r.StringMap("output_mapping"),
            ContainerLimits = Limits(r),
            Hermetic = r.Bool("hermetic"),
        };
    }

    internal ContainerLimits? Limits(MapReader r) => ReadLimits(r, diagnostics);

    internal static ContainerLimits? ReadLimits(MapReader r, DiagnosticBag diagnostics)
    {
        var node = r.Node("container_limits");
        if (node is not YamlMapping map)
        {
            if (node is not null)
            {
                r.Error(node, "container_limits", "must be a mapping of cpu and memory");
            }
            return null;
        }
        var limits = new MapReader(map, r.Path + ".container_limits", diagnostics);
        var result = new ContainerLimits(limits.Long("cpu"), limits.Long("memory"));
        limits.Finish(null);
        return result;
    }

    private SetPipelineStep SetPipeline(MapReader r)
    {
        var path = Named(r, "set_pipeline", out var name);
        return new SetPipelineStep
        {
            Path = path,
            Location = r.Location,
            Name = name,
            File = r.String("file"),
            Vars = r.Object("vars"),
            VarFiles = r.Strings("var_files"),
            Team = r.String("team"),
            InstanceVars = r.Object("instance_vars"),
        };
    }

    private LoadVarStep LoadVar(MapReader r)
    {
        var path = Named(r, "load_var", out var name);
        return new LoadVarStep
        {
            Path = path,
            Location = r.Location,
            Name = name,
            File = r.String("file"),
            Format = r.String("format"),
            Reveal = r.Bool("reveal"),
        };
    }

    private InParallelStep? InParallel(MapReader r, string key)
    {
        var path = $"{r.Path}.in_parallel";
        var node = r.Node(key);
        var at = r.Path;
        r.Path = path;
        if (key == "aggregate")
        {
            diagnostics.Warning(r.Location, at, "'aggregate' is deprecated; use 'in_parallel'");
        }
        switch (node)
        {
            case YamlSequence:
                return new InParallelStep { Path = path, Location = r.Location, Steps = Plan(node, path + ".steps") };
            case YamlMapping map:
                var config = new MapReader(map, path, diagnostics);
                var step = new InParallelStep
                {
                    Path = path,
                    Location = r.Location,
                    Steps = Plan(config.Node("steps"), path + ".steps"),
                    Limit = config.Int("limit"),
                    FailFast = config.Bool("fail_fast"),
                };
                config.Finish(step);
                return step;
            default:
                diagnostics.Error(node?.Location ?? r.Location, path, "must be a list of steps or {steps, limit, fail_fast}");
                return null;
        }
    }

    private DoStep Do(MapReader r)
    {
        var path = $"{r.Path}.do";
        r.Path = path;
        return new DoStep { Path = path, Location = r.Location, Steps = Plan(r.Node("do"), path) };
    }

    private TryStep? Try(MapReader r)
    {
        var path = $"{r.Path}.try";
        var node = r.Node("try");
        r.Path = path;
        if (node is null)
        {
            diagnostics.Error(r.Location, path, "needs a step");
            return null;
        }
        return Read(node, path) is { } inner ? new TryStep { Path = path, Location = r.Location, Step = inner } : null;
    }

    private void ReadModifiers(MapReader r, Step step)
    {
        step.Timeout = r.String("timeout");
        step.Attempts = r.Int("attempts");
        step.Tags = r.Strings("tags");
        step.OnSuccess = Hook(r, "on_success");
        step.OnFailure = Hook(r, "on_failure");
        step.OnError = Hook(r, "on_error");
        step.OnAbort = Hook(r, "on_abort");
        step.Ensure = Hook(r, "ensure");
        if (r.Has("across"))
        {
            step.Across = ListReader.Mappings(r.Node("across"), r.Path + ".across", diagnostics, (map, i) => AcrossVar(map, $"{r.Path}.across[{i}]"));
            step.AcrossFailFast = r.Bool("fail_fast");
        }
        r.Skip(Modifiers);
    }

    private AcrossVar AcrossVar(YamlMapping map, string path)
    {
        var r = new MapReader(map, path, diagnostics);
        var maxInFlight = r.Node("max_in_flight");
        var all = maxInFlight is YamlScalar { Value: "all" };
        var across = new AcrossVar
        {
            Path = path,
            Location = map.Location,
            Var = r.String("var") ?? "",
            Values = r.Json("values"),
            MaxInFlightAll = all,
            MaxInFlight = all ? null : r.Int("max_in_flight"),
        };
        r.Finish(across);
        return across;
    }
}
