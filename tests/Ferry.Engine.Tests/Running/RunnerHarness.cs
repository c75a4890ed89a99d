using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Resources;
using Ferry.Engine.Running;

namespace Ferry.Engine.Tests.Running;

/// <summary>Keeps every event of a build in memory, as the store would, numbering them.</summary>
internal sealed class MemorySink : IBuildEventSink
{
    private readonly List<BuildEvent> events = [];

    public IReadOnlyList<BuildEvent> Events
    {
        get
        {
            lock (events)
            {
                return [.. events];
            }
        }
    }

    public ValueTask WriteAsync(BuildEvent buildEvent)
    {
        lock (events)
        {
            events.Add(buildEvent with { Seq = events.Count + 1 });
        }
        return ValueTask.CompletedTask;
    }

    public string Log(string? stepId = null) =>
        string.Concat(Events.Where(e => e.Type == BuildEventType.Log && (stepId is null || e.StepId == stepId)).Select(e => e.Text));

    public IEnumerable<string> Texts(BuildEventType type) => Events.Where(e => e.Type == type).Select(e => e.Text ?? "");
}

/// <summary>A build's work root in a temp directory, and plan-building shorthands for shell tasks.</summary>
internal sealed class RunnerHarness : IDisposable
{
    private int ids;

    public string Root { get; } = Directory.CreateTempSubdirectory("ferry-runner-").FullName;
    public MemorySink Sink { get; } = new();
    public RunnerOptions Options { get; set; } = new();
    public List<string> Secrets { get; } = [];
    public Dictionary<string, IResourceType> Types { get; } = new(StringComparer.Ordinal);
    public ITaskConfigSource? TaskConfigs { get; set; } = new JsonTaskConfigSource();

    /// <summary>A scratch directory outside the build, for tasks to leave evidence in.</summary>
    public string Scratch => Directory.CreateDirectory(Path.Combine(Root, "scratch")).FullName;

    public Task<BuildResult> RunAsync(PlanNode plan, CancellationToken abort = default) =>
        new BuildRunner(Options).RunAsync(
            new BuildRequest(42, plan, Path.Combine(Root, "build"), name => Types.GetValueOrDefault(name), Sink)
            {
                Secrets = Secrets,
                TaskConfigs = TaskConfigs,
                Metadata = new Dictionary<string, string> { ["BUILD_ID"] = "42" },
            },
            abort);

    public string NextId() => $"s{Interlocked.Increment(ref ids)}";

    public TaskPlan Sh(string name, string script, string[]? inputs = null, string[]? outputs = null, JsonObject? @params = null) => new()
    {
        Id = NextId(),
        Name = name,
        Params = @params ?? [],
        Config = new TaskPlanConfig
        {
            Inputs = [.. (inputs ?? []).Select(i => new TaskInput(i))],
            Outputs = [.. (outputs ?? []).Select(o => new TaskOutput(o))],
            Run = new TaskPlanRun { Path = "sh", Args = ["-c", script] },
        },
    };

    public DoPlan Do(params PlanNode[] steps) => new() { Id = NextId(), Steps = steps };

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A test's leftovers must not fail the next one.
        }
    }
}

/// <summary>Reads task files written as JSON (YAML's subset) in the plan's own schema.</summary>
internal sealed class JsonTaskConfigSource : ITaskConfigSource
{
    public TaskPlanConfig Load(string path, string file, JsonObject vars) =>
        System.Text.Json.JsonSerializer.Deserialize<TaskPlanConfig>(File.ReadAllText(path), PlanJson.Options)
            ?? throw new InvalidDataException($"{file}: empty task config");
}
