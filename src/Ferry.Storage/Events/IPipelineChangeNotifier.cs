namespace Ferry.Storage.Events;

/// <summary>
/// Signals that something a page shows of a pipeline changed (after the write committed): a build was created,
/// started or ended, a promotion or hold changed, a release was formed, the pipeline was set, paused or destroyed.
/// Live pages listen to refetch what they show. Like <see cref="IBuildEventNotifier"/>, it hears every node sharing a
/// PostgreSQL database.
/// </summary>
public interface IPipelineChangeNotifier
{
    /// <summary>Calls <paramref name="onChange"/> after every committed change, on the writer's thread: keep it short. Dispose to stop.</summary>
    IDisposable Subscribe(Action<PipelineChange> onChange);
}

/// <param name="PipelineId">The pipeline that changed (a destroyed pipeline's former id).</param>
public sealed record PipelineChange(int PipelineId, PipelineChangeKind Kind);

public enum PipelineChangeKind
{
    /// <summary>Set, paused or unpaused, destroyed; a job paused or unpaused.</summary>
    Pipeline,
    /// <summary>A build was created, started, asked to abort or ended.</summary>
    Build,
    /// <summary>A promotion was requested, approved, started or ended; a hold set or lifted; a release formed or disabled.</summary>
    Promotion,
}
