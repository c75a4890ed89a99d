using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Core.Versions;
using Ferry.Engine.Containers;
using Ferry.Engine.Processes;
using Ferry.Engine.Resources;
using Ferry.Storage;

namespace Ferry.Engine.Running;

/// <summary>Everything one build run needs.</summary>
/// <param name="WorkRoot">The build's own directory; artifacts, task directories and HOME go under it. The caller removes it afterwards.</param>
/// <param name="ResourceTypes">Finds a resource type by its <c>type:</c> name (built-in or the pipeline's resource_types); null when unknown.</param>
public sealed record BuildRequest(long BuildId, PlanNode Plan, string WorkRoot, Func<string, IResourceType?> ResourceTypes, IBuildEventSink Events)
{
    /// <summary>Loads a task's <c>file:</c>; without one, a task with <c>file:</c> errors.</summary>
    public ITaskConfigSource? TaskConfigs { get; init; }

    /// <summary>
    /// Where resource types keep caches between builds (for git: the bare clones); shared by the builds of one
    /// worker and with its checks. Null: a cache inside the build's work root, gone with the build.
    /// </summary>
    public string? ResourceCache { get; init; }

    /// <summary>Runs <c>set_pipeline</c>; without one, that step errors.</summary>
    public IPipelineSetter? PipelineSetter { get; init; }

    /// <summary>Values redacted from every log line and event text (the values of secret <c>((vars))</c>).</summary>
    public IReadOnlyCollection<string> Secrets { get; init; } = [];

    /// <summary>Environment variables every task of the build gets (a promotion's environment variables); a task's params win.</summary>
    public IReadOnlyDictionary<string, string> TaskEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Build metadata for resource types (BUILD_ID, BUILD_JOB_NAME, BUILD_PIPELINE_NAME …).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}

/// <summary>How a build ended and which versions it used and made.</summary>
public sealed record BuildResult(BuildStatus Status, IReadOnlyList<StepVersion> Gets, IReadOnlyList<StepVersion> Puts);

/// <summary>A version a get fetched or a put created, by step.</summary>
public sealed record StepVersion(string StepId, string Name, string Resource, ResourceVersion Version);

public sealed record RunnerOptions
{
    /// <summary>Most log bytes one step may write; the rest is read and discarded after a marker line.</summary>
    public long LogCapBytes { get; init; } = 20 * 1024 * 1024;

    /// <summary>Longer lines are split.</summary>
    public int MaxLineBytes { get; init; } = 1024 * 1024;

    /// <summary>PATH for tasks (the only variable besides HOME and their params); defaults to the server's PATH.</summary>
    public string TaskPath { get; init; } = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>How long to wait for a task's output pipes after its process group is gone.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Runs the tasks' processes; the server's records them so its next start can reap what a crash left.</summary>
    public ProcessRunner Processes { get; init; } = new();

    /// <summary>Runs the tasks that name an image (runtime <c>container</c>); null: runtime <c>process</c>.</summary>
    public ContainerRuntime? Containers { get; init; }

    /// <summary>
    /// Without containers, run a task that names an image on the host anyway (with a warning) instead of failing it
    /// (<c>--allow-image-tasks-on-host</c>).
    /// </summary>
    public bool ImageTasksOnHost { get; init; }
}

/// <summary>Reads a task config file (<c>task: … file: artifact/ci/task.yml</c>).</summary>
public interface ITaskConfigSource
{
    /// <param name="path">The file on disk.</param>
    /// <param name="file">The step's <c>file:</c> as written, for error messages.</param>
    /// <param name="vars">The step's <c>vars:</c>, for the file's <c>((placeholders))</c>.</param>
    TaskPlanConfig Load(string path, string file, JsonObject vars);
}

/// <summary>Sets a pipeline from a file a build produced (the server owns pipelines).</summary>
public interface IPipelineSetter
{
    /// <param name="configPath">The file on disk (<paramref name="plan"/>'s <c>file:</c> in the build's artifacts).</param>
    /// <param name="varFilePaths">The <c>var_files</c> on disk, in the step's order.</param>
    /// <returns>Lines for the step's log: what changed and the config version set.</returns>
    /// <remarks>Throws when the file is not a valid pipeline or may not be set; the message (each error located) becomes the step's error.</remarks>
    Task<IReadOnlyList<string>> SetAsync(SetPipelinePlan plan, string configPath, IReadOnlyList<string> varFilePaths, CancellationToken cancellation);
}

/// <summary>The pipeline setter a build's set_pipeline steps use, acting for that build (it names the build as the setter).</summary>
public interface IBuildPipelineSetters
{
    IPipelineSetter For(BuildRecord build);
}
