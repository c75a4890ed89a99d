using System.Text.Json.Nodes;
using Ferry.Core.Pipelines;
using Ferry.Core.Planning;
using Ferry.Core.Yaml;
using Ferry.Engine.Pipelines;

namespace Ferry.Engine.Running;

/// <summary>Reads a task file from an artifact (<c>task: x, file: app/ci/test.yml</c>) with the step's <c>vars:</c>.</summary>
internal sealed class TaskFileSource : ITaskConfigSource
{
    public Core.Plans.TaskPlanConfig Load(string path, string file, JsonObject vars)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"task file '{file}' not found in its artifact", file);
        var yaml = YamlLoader.ReadText(path);
        var result = TaskConfigLoader.Parse(yaml, file, PipelineConfigs.ToStaticVars(vars));
        if (!result.IsValid || result.Config is null)
        {
            var errors = result.Errors.Select(e => e.ToString());
            throw new InvalidDataException($"task file '{file}' is not valid: {string.Join("; ", errors)}");
        }
        return PlanCompiler.ToPlan(result.Config, file);
    }
}
