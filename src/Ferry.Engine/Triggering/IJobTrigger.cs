namespace Ferry.Engine.Triggering;

/// <summary>
/// A manual trigger (<c>ferry trigger</c>, <c>POST /api/v1/pipelines/{p}/jobs/{j}/builds</c>): resolves the job's
/// inputs now and creates a pending build with its plan, for the runner to claim.
/// </summary>
public interface IJobTrigger
{
    /// <summary>Returns the id of the new pending build.</summary>
    /// <exception cref="JobTriggerException">The build cannot be created (an input has no version, the job disallows manual triggers).</exception>
    Task<long> TriggerAsync(int jobId, string? createdBy, CancellationToken cancellationToken);
}

/// <summary>Why a job could not be triggered, in words for the person who asked ("input 'app': latest version of resource not found").</summary>
public sealed class JobTriggerException(string message) : Exception(message);
