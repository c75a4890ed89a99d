using Ferry.Core.Plans;

namespace Ferry.Engine.Running.Steps;

/// <summary>
/// A task's directory: inputs at their paths, outputs and caches created empty. For a process the inputs are
/// symbolic links to their artifacts; for a container they are empty directories its artifacts are mounted on
/// (a link to a host path means nothing inside the container).
/// </summary>
internal sealed class TaskWorkspace
{
    private readonly List<(string Artifact, string Directory)> outputs = [];
    private readonly List<(string RelativePath, string Source)> inputs = [];

    /// <summary>The inputs to mount: their path in the task's directory and their artifact's directory.</summary>
    public IReadOnlyList<(string RelativePath, string Source)> Inputs => inputs;

    public static TaskWorkspace Prepare(string directory, TaskPlanConfig config, TaskPlan plan, ArtifactScope artifacts, string what, bool linkInputs = true)
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
            var relative = Paths.Relative(input.Path ?? input.Name, $"{what}: inputs.{input.Name}.path");
            var target = Path.Combine(directory, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (linkInputs)
            {
                Directory.CreateSymbolicLink(target, source);
            }
            else
            {
                Directory.CreateDirectory(target);
            }
            workspace.inputs.Add((relative, source));
        }
        foreach (var output in config.Outputs)
        {
            var relative = Paths.Relative(output.Path ?? output.Name, $"{what}: outputs.{output.Name}.path");
            var target = Path.Combine(directory, relative);
            // An output at an input's path is that input, changed in place.
            var existing = workspace.inputs.FirstOrDefault(i => i.RelativePath == relative).Source;
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

    /// <summary>The output directories that live in the task's directory (not an input changed in place).</summary>
    public IEnumerable<string> OwnOutputs(string directory) =>
        outputs.Select(o => o.Directory).Where(d => d.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    public void RegisterOutputs(ArtifactScope artifacts)
    {
        foreach (var (artifact, directory) in outputs)
        {
            artifacts.Register(artifact, directory);
        }
    }
}
