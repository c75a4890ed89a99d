using System.Text.Json;
using System.Text.Json.Serialization;
using Ferry.Core.Builds;
using Ferry.Engine.Resources;
using Ferry.Engine.Running;

namespace Ferry.Engine.Workers;

/// <summary>
/// What a remote worker (<c>ferry worker</c>) and the servers say to each other over HTTP(S), under
/// <see cref="Prefix"/>. Every call carries the worker's token (<c>Authorization: Bearer …</c>, a token made with
/// <c>ferry token create --worker NAME</c>); the token names the worker, so no call names it again. Workers hold no
/// database credentials: everything a build needs comes in its <see cref="WorkerAssignment"/>, everything it produces
/// goes back through these calls. Every call is safe to repeat after a lost answer.
/// </summary>
/// <remarks>
/// The calls, all POST, all JSON in <see cref="Json"/>'s form:
/// <list type="bullet">
/// <item><c>register</c>: <see cref="WorkerRegistration"/> → <see cref="WorkerRegistered"/>. At start, and again
/// whenever a heartbeat answers 404 (the servers took the worker for lost).</item>
/// <item><c>heartbeat</c>: <see cref="WorkerHeartbeat"/> → <see cref="WorkerHeartbeatReply"/>, every
/// <see cref="WorkerRegistered.HeartbeatSeconds"/>.</item>
/// <item><c>claim</c>: no body → 200 <see cref="WorkerAssignment"/>, or 204 when no pending build fits the worker.</item>
/// <item><c>builds/{id}/events</c>: <see cref="WorkerEvents"/> → <see cref="WorkerEventsReply"/>. 409 when the build is
/// no longer this worker's (it was ended as lost, or aborted while pending): the worker stops it.</item>
/// <item><c>builds/{id}/end</c>: <see cref="WorkerBuildEnd"/> → 204 (also when the end was recorded before).</item>
/// <item><c>builds/{id}/set-pipeline</c>: <see cref="WorkerSetPipeline"/> → <see cref="WorkerSetPipelineReply"/>, or a
/// 422 problem whose <c>detail</c> is the step's error. Servers own pipelines, as the ATC runs set_pipeline in Concourse.</item>
/// </list>
/// 401 means the token is unknown or revoked: the worker stops with that message. Other failures (connection refused,
/// 5xx) are retried with back-off, so a worker keeps its builds running across a server restart.
/// </remarks>
public static class WorkerProtocol
{
    public const string Prefix = "/api/v1/worker/";

    /// <summary>The JSON form on both sides: camelCase names, enums in snake_case (as the rest of the API).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

/// <param name="Tags">The worker's tags (<c>--tag</c>): it runs only builds whose steps' tags it all has; an untagged worker runs only untagged builds.</param>
/// <param name="Runtime">The runtime it runs tasks with (<c>process</c> or <c>container</c>, after <c>auto</c> was resolved).</param>
/// <param name="Capacity">How many builds it runs at once.</param>
/// <param name="Version">Ferry's version on the worker.</param>
/// <param name="Running">Builds it is running now (after a restart of the worker process this is empty).</param>
public sealed record WorkerRegistration(IReadOnlyList<string> Tags, string Runtime, int Capacity, string Version, IReadOnlyList<long> Running);

/// <param name="Name">The worker's name, from its token.</param>
/// <param name="HeartbeatSeconds">How often to beat; the servers end a worker's builds after several missed beats.</param>
public sealed record WorkerRegistered(string Name, int HeartbeatSeconds);

/// <param name="Running">Builds the worker runs now.</param>
public sealed record WorkerHeartbeat(IReadOnlyList<long> Running);

/// <param name="Abort">Of <see cref="WorkerHeartbeat.Running"/>, the builds someone asked to abort: the worker aborts them (their end is then reported as usual).</param>
/// <param name="Drop">Of <see cref="WorkerHeartbeat.Running"/>, the builds the servers no longer give this worker (ended as lost): the worker kills them and reports nothing more.</param>
public sealed record WorkerHeartbeatReply(IReadOnlyList<long> Abort, IReadOnlyList<long> Drop);

/// <summary>One build to run, with everything it needs: the plan, the planned config's resource types, secrets to redact.</summary>
/// <param name="Plan">The build's plan as stored (<see cref="Ferry.Core.Plans.PlanJson"/>).</param>
/// <param name="ResourceTypes">The planned config's <c>resource_types</c>, for the worker's registry.</param>
/// <param name="Secrets">Values redacted from every log line and event text.</param>
/// <param name="TaskEnvironment">Variables every task gets (a promotion's environment variables).</param>
/// <param name="Metadata">BUILD_ID, BUILD_NAME, BUILD_JOB_NAME, BUILD_PIPELINE_NAME, BUILD_TEAM_NAME, ATC_EXTERNAL_URL.</param>
public sealed record WorkerAssignment(
    long BuildId,
    string Title,
    string Plan,
    IReadOnlyList<ResourceTypeDeclaration> ResourceTypes,
    IReadOnlyList<string> Secrets,
    IReadOnlyDictionary<string, string> TaskEnvironment,
    IReadOnlyDictionary<string, string> Metadata);

/// <param name="From">
/// How many of this build's events the worker sent before these (0 for the first batch): the server stores only those
/// it does not have yet, so a batch resent after a lost answer is not stored twice.
/// </param>
/// <param name="Events">The events, <see cref="BuildEvent.BuildId"/> and <see cref="BuildEvent.Seq"/> ignored (the server numbers them).</param>
public sealed record WorkerEvents(long From, IReadOnlyList<BuildEvent> Events);

/// <param name="Stored">How many of the worker's events of this build the server has: the next batch's <see cref="WorkerEvents.From"/>.</param>
public sealed record WorkerEventsReply(long Stored);

/// <param name="Status">A final status: succeeded, failed, errored or aborted.</param>
/// <param name="Reason">Why it errored or was aborted, if it did.</param>
/// <param name="EventCount">How many events the worker sent for the build in all; the server stores the end only once it has them all (else 409, and the worker sends the rest first).</param>
public sealed record WorkerBuildEnd(BuildStatus Status, string? Reason, IReadOnlyList<StepVersion> Gets, IReadOnlyList<StepVersion> Puts, long EventCount);

/// <param name="Plan">The set_pipeline step's plan (<see cref="Ferry.Core.Plans.SetPipelinePlan"/> as JSON).</param>
/// <param name="Config">The pipeline file's text, read on the worker from the build's artifacts.</param>
/// <param name="VarFiles">The <c>var_files</c>' texts, in the step's order.</param>
public sealed record WorkerSetPipeline(string Plan, string Config, IReadOnlyList<string> VarFiles);

/// <param name="Lines">Lines for the step's log: what changed and the config version set.</param>
public sealed record WorkerSetPipelineReply(IReadOnlyList<string> Lines);
