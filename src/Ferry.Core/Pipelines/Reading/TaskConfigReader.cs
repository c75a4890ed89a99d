using Ferry.Core.Validation;
using Ferry.Core.Yaml;
using Ferry.Core.Plans;

namespace Ferry.Core.Pipelines.Reading;

/// <summary>Reads a task config (inline <c>config:</c> or a task file).</summary>
internal sealed class TaskConfigReader(DiagnosticBag diagnostics)
{
    public TaskConfig Read(YamlMapping map, string path)
    {
        var r = new MapReader(map, path, diagnostics);
        var config = new TaskConfig
        {
            Path = path,
            Location = map.Location,
            Platform = r.String("platform"),
            ImageResource = r.Node("image_resource") is { } image ? Image(image, MapReader.Join(path, "image_resource")) : null,
            RootfsUri = r.String("rootfs_uri") ?? r.String("image"),
            ContainerLimits = StepReader.ReadLimits(r, diagnostics),
            Inputs = ListReader.Mappings(r.Node("inputs"), MapReader.Join(path, "inputs"), diagnostics, (m, i) => Input(m, MapReader.Join(path, $"inputs[{i}]"))),
            Outputs = ListReader.Mappings(r.Node("outputs"), MapReader.Join(path, "outputs"), diagnostics, (m, i) => Output(m, MapReader.Join(path, $"outputs[{i}]"))),
            Caches = ListReader.Mappings(r.Node("caches"), MapReader.Join(path, "caches"), diagnostics, (m, i) => Cache(m, MapReader.Join(path, $"caches[{i}]"))),
            Params = r.Object("params"),
            Run = r.Node("run") is { } run ? Run(run, MapReader.Join(path, "run")) : null,
        };
        r.Finish(config);
        return config;
    }

    private ImageResource? Image(YamlNode node, string path)
    {
        if (node is not YamlMapping map)
        {
            diagnostics.Error(node.Location, path, $"must be a mapping, not a {node.Describe()}");
            return null;
        }
        var r = new MapReader(map, path, diagnostics);
        var image = new ImageResource
        {
            Path = path,
            Location = map.Location,
            Type = r.String("type") ?? "",
            Source = r.Object("source") ?? [],
            Params = r.Object("params"),
            Version = r.Object("version"),
        };
        r.Finish(image);
        return image;
    }

    private TaskInput Input(YamlMapping map, string path)
    {
        var r = new MapReader(map, path, diagnostics);
        var input = new TaskInput(r.String("name") ?? "", r.String("path"), r.Bool("optional"));
        r.Finish(null);
        return input;
    }

    private TaskOutput Output(YamlMapping map, string path)
    {
        var r = new MapReader(map, path, diagnostics);
        var output = new TaskOutput(r.String("name") ?? "", r.String("path"));
        r.Finish(null);
        return output;
    }

    private TaskCache Cache(YamlMapping map, string path)
    {
        var r = new MapReader(map, path, diagnostics);
        var cache = new TaskCache(r.String("path") ?? "");
        r.Finish(null);
        return cache;
    }

    private TaskRun? Run(YamlNode node, string path)
    {
        if (node is not YamlMapping map)
        {
            diagnostics.Error(node.Location, path, $"must be a mapping, not a {node.Describe()}");
            return null;
        }
        var r = new MapReader(map, path, diagnostics);
        var run = new TaskRun
        {
            Path = path,
            Location = map.Location,
            RunPath = r.String("path") ?? "",
            Args = r.Strings("args"),
            Dir = r.String("dir"),
            User = r.String("user"),
        };
        r.Finish(run);
        return run;
    }
}
