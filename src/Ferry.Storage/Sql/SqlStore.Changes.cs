using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Ferry.Storage.Events;

namespace Ferry.Storage.Sql;

/// <summary>Publishes a <see cref="PipelineChange"/> after a write committed, for live pages.</summary>
internal sealed partial class SqlStore
{
    private readonly InProcessPipelineChangeNotifier _changes = new();
    // An environment never moves to another pipeline: its pipeline is read once.
    private readonly ConcurrentDictionary<int, int> _environmentPipelines = new();

    public IPipelineChangeNotifier Changes => _changes;

    /// <summary>Awaits the write, then tells listeners which pipeline it changed (none when <paramref name="pipelineOf"/> says null).</summary>
    private async Task<T> Changed<T>(Task<T> write, PipelineChangeKind kind, Func<T, int?> pipelineOf)
    {
        var result = await write;
        if (pipelineOf(result) is { } pipelineId)
        {
            PublishChange(new PipelineChange(pipelineId, kind));
        }
        return result;
    }

    private async Task ChangedEnvironmentAsync(int environmentId, CancellationToken cancellationToken)
    {
        if (!_changes.HasSubscribers && _acrossNodes is null)
        {
            return;
        }
        if (!_environmentPipelines.TryGetValue(environmentId, out var pipelineId))
        {
            long? read;
            try
            {
                read = await ReadAsync(c => c.ExecuteScalarAsync<long?>(Cmd("SELECT pipeline_id FROM environments WHERE id = @environmentId",
                    new { environmentId = (long)environmentId }, cancellationToken)), cancellationToken);
            }
            catch (DbException)
            {
                // The change is committed: failing here would tell its caller it was not. A notice only says "look again";
                // live pages miss this one and catch up with the next.
                return;
            }
            if (read is null)
            {
                return;
            }
            pipelineId = _environmentPipelines[environmentId] = (int)read.Value;
        }
        PublishChange(new PipelineChange(pipelineId, PipelineChangeKind.Promotion));
    }
}
