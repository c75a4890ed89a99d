using System.Collections.Concurrent;
using Ferry.Core.Plans;
using Ferry.Engine.Resources;

namespace Ferry.Engine.Running;

/// <summary>The state of one build while it runs, shared by all its steps.</summary>
internal sealed class RunningBuild(BuildRequest request, RunnerOptions options)
{
    public BuildRequest Request { get; } = request;
    public RunnerOptions Options { get; } = options;
    public Redactor Redactor { get; } = new(request.Secrets);
    public StepDirectories Directories { get; } = new(Path.Combine(request.WorkRoot, "steps"));
    public EventWriter Events { get; } = new(request.BuildId, request.Events);
    public ConcurrentQueue<StepVersion> Gets { get; } = new();
    public ConcurrentQueue<StepVersion> Puts { get; } = new();

    /// <summary>HOME for tasks: inside the build, so tasks neither see nor litter the server's home.</summary>
    public string Home => Path.Combine(Request.WorkRoot, "home");

    /// <summary>A new empty directory under the work root, unique in the build (attempts and across iterations each get one).</summary>
    public string NewDirectory() => Directories.New();

    public IResourceType ResourceType(string stepDescription, string type)
    {
        IResourceType? found;
        try
        {
            found = Request.ResourceTypes(type);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The registry explains itself (unknown name, exec type without executables); add which step asked.
            throw new StepException($"{stepDescription}: {e.Message}", e);
        }
        return found ?? throw new StepException($"{stepDescription}: unknown resource type '{type}'");
    }

    public StepLog NewLog(string stepId) => new(Events, stepId, Options.LogCapBytes, Options.MaxLineBytes);

    /// <summary>A leaf step's kind and name, as events and error messages show it.</summary>
    public static (string Kind, string Name) Describe(PlanNode plan) => plan switch
    {
        GetPlan g => ("get", g.Name),
        PutPlan p => ("put", p.Name),
        TaskPlan t => ("task", t.Name),
        LoadVarPlan l => ("load_var", l.Name),
        SetPipelinePlan s => ("set_pipeline", s.Name),
        _ => (plan.GetType().Name, plan.Id),
    };
}
