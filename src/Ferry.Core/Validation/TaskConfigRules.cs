using Ferry.Core.Pipelines;

namespace Ferry.Core.Validation;

/// <summary>Concourse's task config checks (TaskConfig.Validate).</summary>
internal static class TaskConfigRules
{
    public static void Check(TaskConfig config, DiagnosticBag diagnostics)
    {
        if (string.IsNullOrEmpty(config.Platform))
        {
            diagnostics.Error(config.Location, config.Path, "missing 'platform'");
        }
        if (config.RootfsUri is not null && config.ImageResource is not null)
        {
            diagnostics.Error(config.LocationOf("image_resource"), config.Path, "specify either image or image_resource, not both");
        }
        for (var i = 0; i < config.Inputs.Count; i++)
        {
            if (config.Inputs[i].Name.Length == 0)
            {
                diagnostics.Error(config.LocationOf($"inputs[{i}]"), config.Path, $"input in position {i} has no name");
            }
        }
        for (var i = 0; i < config.Outputs.Count; i++)
        {
            if (config.Outputs[i].Name.Length == 0)
            {
                diagnostics.Error(config.LocationOf($"outputs[{i}]"), config.Path, $"output in position {i} has no name");
            }
        }
        if (config.Run is null || config.Run.RunPath.Length == 0)
        {
            diagnostics.Error(config.Run?.Location ?? config.Location, config.Path, "missing path to executable to run");
        }
    }
}
