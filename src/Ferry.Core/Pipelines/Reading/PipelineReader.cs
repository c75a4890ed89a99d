using Ferry.Core.Validation;
using Ferry.Core.Yaml;

namespace Ferry.Core.Pipelines.Reading;

/// <summary>Builds the pipeline model from a located (already interpolated) YAML tree.</summary>
internal sealed class PipelineReader(DiagnosticBag diagnostics)
{
    private readonly StepReader _steps = new(diagnostics);

    public PipelineConfig? Read(YamlNode? root, string fileName)
    {
        if (root is null or YamlScalar { IsNull: true })
        {
            diagnostics.Error(new SourceLocation(fileName, 1, 1), "", "the pipeline is empty");
            return null;
        }
        if (root is not YamlMapping map)
        {
            diagnostics.Error(root.Location, "", $"a pipeline must be a mapping, not a {root.Describe()}");
            return null;
        }
        var reader = new MapReader(map, "", diagnostics);
        var config = new PipelineConfig
        {
            Location = map.Location,
            Resources = ListReader.Mappings(reader.Node("resources"), "resources", diagnostics, Resource),
            ResourceTypes = ListReader.Mappings(reader.Node("resource_types"), "resource_types", diagnostics, ResourceType),
            Jobs = ListReader.Mappings(reader.Node("jobs"), "jobs", diagnostics, Job),
            Groups = ListReader.Mappings(reader.Node("groups"), "groups", diagnostics, Group),
            VarSources = ListReader.Mappings(reader.Node("var_sources"), "var_sources", diagnostics, VarSource),
            Display = reader.Node("display") is { } display ? Display(display) : null,
            Environments = ListReader.Mappings(reader.Node("environments"), "environments", diagnostics,
                (m, i) => new EnvironmentReader(diagnostics, _steps).Read(m, i)),
        };
        reader.Finish(config);
        return config;
    }

    private ResourceConfig Resource(YamlMapping map, int index)
    {
        var r = new MapReader(map, ListReader.ItemPath("resources", map, index), diagnostics);
        var resource = new ResourceConfig
        {
            Path = r.Path,
            Location = map.Location,
            Name = r.String("name") ?? "",
            Type = r.String("type") ?? "",
            Source = r.Object("source") ?? [],
            CheckEvery = r.String("check_every"),
            CheckTimeout = r.String("check_timeout"),
            WebhookToken = r.String("webhook_token"),
            Version = r.Object("version"),
            Icon = r.String("icon"),
            Tags = r.Strings("tags"),
            Public = r.Bool("public"),
            OldName = r.String("old_name"),
            ExposeBuildCreatedBy = r.Bool("expose_build_created_by"),
        };
        r.Finish(resource);
        return resource;
    }

    private ResourceTypeConfig ResourceType(YamlMapping map, int index)
    {
        var r = new MapReader(map, ListReader.ItemPath("resource_types", map, index), diagnostics);
        var type = new ResourceTypeConfig
        {
            Path = r.Path,
            Location = map.Location,
            Name = r.String("name") ?? "",
            Type = r.String("type") ?? "",
            Source = r.Object("source") ?? [],
            Defaults = r.Object("defaults"),
            Params = r.Object("params"),
            Privileged = r.Bool("privileged"),
            CheckEvery = r.String("check_every"),
            Tags = r.Strings("tags"),
            UniqueVersionHistory = r.Bool("unique_version_history"),
        };
        r.Finish(type);
        return type;
    }

    private JobConfig Job(YamlMapping map, int index)
    {
        var r = new MapReader(map, ListReader.ItemPath("jobs", map, index), diagnostics);
        var planNode = r.Node("plan");
        var job = new JobConfig
        {
            Path = r.Path,
            Location = map.Location,
            Name = r.String("name") ?? "",
            OldName = r.String("old_name"),
            Serial = r.Bool("serial"),
            SerialGroups = r.Strings("serial_groups"),
            MaxInFlight = r.Int("max_in_flight"),
            BuildLogRetention = r.Node("build_log_retention") is YamlMapping retention ? Retention(retention, r.Path) : null,
            BuildLogsToRetain = r.Int("build_logs_to_retain"),
            Public = r.Bool("public"),
            DisableManualTrigger = r.Bool("disable_manual_trigger"),
            Interruptible = r.Bool("interruptible"),
            OnSuccess = _steps.Hook(r, "on_success"),
            OnFailure = _steps.Hook(r, "on_failure"),
            OnError = _steps.Hook(r, "on_error"),
            OnAbort = _steps.Hook(r, "on_abort"),
            Ensure = _steps.Hook(r, "ensure"),
            Plan = _steps.Plan(planNode, r.Path + ".plan"),
        };
        if (planNode is null)
        {
            diagnostics.Error(map.Location, r.Path, "has no plan");
        }
        r.Finish(job);
        return job;
    }

    private BuildLogRetention Retention(YamlMapping map, string jobPath)
    {
        var r = new MapReader(map, jobPath + ".build_log_retention", diagnostics);
        var retention = new BuildLogRetention
        {
            Path = r.Path,
            Location = map.Location,
            Builds = r.Int("builds") ?? 0,
            Days = r.Int("days") ?? 0,
            MinimumSucceededBuilds = r.Int("minimum_succeeded_builds") ?? 0,
        };
        r.Finish(retention);
        return retention;
    }

    private GroupConfig Group(YamlMapping map, int index)
    {
        var r = new MapReader(map, ListReader.ItemPath("groups", map, index), diagnostics);
        var group = new GroupConfig
        {
            Path = r.Path,
            Location = map.Location,
            Name = r.String("name") ?? "",
            Jobs = r.Strings("jobs"),
            Resources = r.Strings("resources"),
        };
        r.Finish(group);
        return group;
    }

    private VarSourceConfig VarSource(YamlMapping map, int index)
    {
        var r = new MapReader(map, ListReader.ItemPath("var_sources", map, index), diagnostics);
        var source = new VarSourceConfig
        {
            Path = r.Path,
            Location = map.Location,
            Name = r.String("name") ?? "",
            Type = r.String("type") ?? "",
            Config = r.Object("config") ?? [],
        };
        r.Finish(source);
        return source;
    }

    private DisplayConfig? Display(YamlNode node)
    {
        if (node is not YamlMapping map)
        {
            diagnostics.Error(node.Location, "display", $"must be a mapping, not a {node.Describe()}");
            return null;
        }
        var r = new MapReader(map, "display", diagnostics);
        var display = new DisplayConfig
        {
            Path = "display",
            Location = map.Location,
            BackgroundImage = r.String("background_image"),
            BackgroundFilter = r.String("background_filter"),
        };
        r.Finish(display);
        return display;
    }
}
