using Ferry.Core.Plans;

namespace Ferry.Engine.Running.Steps;

/// <summary>A task's directory: inputs linked in at their paths, outputs and caches created empty.</summary>
internal sealed class TaskWorkspace
{
    private readonly List<(string Artifact, string Directory)> outputs = [];

    public static TaskWorkspace Prepare(string directory, TaskPlanConfig config, TaskPlan plan, ArtifactScope artifacts, string what)
    {
        var workspace = new TaskWorkspace();
        foreach (var input in config.Inputs)
        {
            var artifact = plan.InputMapping.GetValueOrDefault(input.Name, input.Name);
            var source = artifacts.Find(artifact);
            if (source is null)
            {
                if (input.Optional)
                {
                    continue;
                }
                var mapped = artifact == input.Name ? "" : $" (mapped to artifact '{artifact}')";
                throw new StepException($"{what}: missing input '{input.Name}'{mapped}: no step before it made an artifact of that name");
            }
            var target = Path.Combine(directory, Paths.Relative(input.Path ?? input.Name, $"{what}: inputs.{input.Name}.path"));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.CreateSymbolicLink(target, source);
        }
        foreach (var output in config.Outputs)
        {
            var target = Path.Combine(directory, Paths.Relative(output.Path ?? output.Name, $"{what}: outputs.{output.Name}.path"));
            // An output at an input's path is that input, changed in place.
            var existing = new DirectoryInfo(target).LinkTarget;
            if (existing is null)
            {
                Directory.CreateDirectory(target);
            }
            workspace.outputs.Add((plan.OutputMapping.GetValueOrDefault(output.Name, output.Name), existing ?? target));
        }
        foreach (var cache in config.Caches)
        {
            Directory.CreateDirectory(Path.Combine(directory, Paths.Relative(cache.Path, $"{what}: caches.path")));
        }
        return workspace;
    }

    public void RegisterOutputs(ArtifactScope artifacts)
    {
        foreach (var (artifact, directory) in outputs)
        {
            artifacts.Register(artifact, directory);
        }
    }
}
