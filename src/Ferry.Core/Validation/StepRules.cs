using Ferry.Core.Pipelines;
using Ferry.Core.Pipelines.Steps;

namespace Ferry.Core.Validation;

/// <summary>Checks the steps of one plan (a job's, or an environment's deploy/verify/teardown), as Concourse's StepValidator does.</summary>
internal sealed class StepRules(PipelineConfig config, DiagnosticBag diagnostics)
{
    private readonly HashSet<string> _getNames = new(StringComparer.Ordinal);

    public void Check(Step step)
    {
        switch (step)
        {
            case GetStep get:
                Get(get);
                break;
            case PutStep put:
                Identifiers.Check(put.Name, put.Path, put.Location, diagnostics);
                KnownResource(put, put.Resource);
                break;
            case TaskStep task:
                Task(task);
                break;
            case SetPipelineStep set:
                Identifiers.Check(set.Name, set.Path, set.Location, diagnostics);
                NeedsFile(set, set.File);
                break;
            case LoadVarStep load:
                Identifiers.Check(load.Name, load.Path, load.Location, diagnostics);
                NeedsFile(load, load.File);
                break;
            case InParallelStep parallel when parallel.Limit is <= 0:
                diagnostics.Error(parallel.LocationOf("in_parallel"), parallel.Path + ".limit", "must be greater than 0");
                break;
        }
        foreach (var child in step.Children)
        {
            Check(child);
        }
        Modifiers(step);
    }

    private void Get(GetStep get)
    {
        Identifiers.Check(get.Name, get.Path, get.Location, diagnostics);
        if (!_getNames.Add(get.Name))
        {
            diagnostics.Error(get.Location, get.Path, "repeated name");
        }
        if (!KnownResource(get, get.Resource))
        {
            return;
        }
        for (var i = 0; i < get.Passed.Count; i++)
        {
            var name = get.Passed[i];
            var at = get.LocationOf($"passed[{i}]");
            var job = config.FindJob(name);
            if (job is null)
            {
                diagnostics.Error(at, get.Path + ".passed", $"no job named '{name}'");
            }
            else if (!EnvironmentReleases.ResourcesOf(job).Contains(get.Resource))
            {
                diagnostics.Error(at, get.Path + ".passed", $"job '{name}' does not interact with resource '{get.Resource}'");
            }
        }
    }

    private void Task(TaskStep task)
    {
        Identifiers.Check(task.Name, task.Path, task.Location, diagnostics);
        if (task.Config is null && task.File is null)
        {
            diagnostics.Error(task.Location, task.Path, "must specify either `file:` or `config:`");
        }
        if (task.Config is not null && task.File is not null)
        {
            diagnostics.Error(task.Location, task.Path, "must specify one of `file:` or `config:`, not both");
        }
        if (task.Config is { } config)
        {
            if (task.Image is not null && (config.RootfsUri is not null || config.ImageResource is not null))
            {
                diagnostics.Warning(task.LocationOf("image"), task.Path,
                    "specifies image: on the step but also specifies an image under config: - the image: on the step takes precedence");
            }
            TaskConfigRules.Check(config, diagnostics);
        }
    }

    private void Modifiers(Step step)
    {
        ResourceRules.Duration(step, "timeout", step.Timeout, allowNever: false, diagnostics);
        if (step.Attempts is <= 0)
        {
            diagnostics.Error(step.LocationOf("attempts"), step.Path + ".attempts", "must be greater than 0");
        }
        if (step.Across is { } across)
        {
            if (across.Count == 0)
            {
                diagnostics.Error(step.LocationOf("across"), step.Path + ".across", "no vars specified");
            }
            foreach (var variable in across)
            {
                if (variable.Var.Length == 0)
                {
                    diagnostics.Error(variable.Location, variable.Path, "has no var");
                }
                if (variable.MaxInFlight is <= 0)
                {
                    diagnostics.Error(variable.LocationOf("max_in_flight"), variable.Path + ".max_in_flight", "must be greater than 0");
                }
            }
        }
        foreach (var hook in step.Hooks)
        {
            Check(hook);
        }
    }

    private bool KnownResource(Step step, string resource)
    {
        if (config.FindResource(resource) is not null)
        {
            return true;
        }
        var at = step.Has("resource") ? step.LocationOf("resource") : step.LocationOf(step.Kind);
        diagnostics.Error(at, step.Path, $"unknown resource '{resource}'");
        return false;
    }

    private void NeedsFile(Step step, string? file)
    {
        if (string.IsNullOrEmpty(file))
        {
            diagnostics.Error(step.Location, step.Path, "no file specified");
        }
    }
}
