using System.Collections.Concurrent;
using Ferry.Core.Resolving;
using Ferry.Storage;
using Ferry.Storage.Builds;

namespace Ferry.Engine.Scheduling;

/// <summary>
/// Each pipeline's resolver snapshot, kept between passes: the first pass reads the whole history, later ones only
/// what changed since (see <see cref="IBuildStore.ReadResolverAsync"/>) and fold it in, so a pass costs what changed,
/// not how long the history is. Snapshots are immutable: a pass keeps the one it got while the next is made.
/// </summary>
internal sealed class ResolverSnapshots(IStore store)
{
    private sealed record Kept(ResolverSnapshot Snapshot, ResolverCursor Cursor);

    private readonly ConcurrentDictionary<int, Kept> _kept = new();
    // One refresh per pipeline at a time: two at once would read and fold in the same change twice.
    private readonly ConcurrentDictionary<int, SemaphoreSlim> _gates = new();

    /// <summary>The pipeline's snapshot as of now; null when the pipeline no longer exists.</summary>
    public async Task<ResolverSnapshot?> CurrentAsync(int pipelineId, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(pipelineId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            _kept.TryGetValue(pipelineId, out var kept);
            var read = await store.ReadResolverAsync(pipelineId, kept?.Cursor, cancellationToken);
            if (read is null)
            {
                _kept.TryRemove(pipelineId, out _);
                return null;
            }
            var snapshot = read.Full is { } rows
                ? new ResolverSnapshot(rows.Resources, rows.Jobs, rows.Versions, rows.Builds, rows.Outputs, rows.Inputs, rows.Pipes)
                : kept!.Snapshot.Apply(read.Delta!);
            _kept[pipelineId] = new Kept(snapshot, read.Cursor);
            return snapshot;
        }
        catch
        {
            // Whatever went wrong (the store, rows that do not fit), the next pass starts again from a full read.
            _kept.TryRemove(pipelineId, out _);
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Forgets the pipelines not among <paramref name="pipelineIds"/> (destroyed ones).</summary>
    public void Retain(IReadOnlyCollection<int> pipelineIds)
    {
        var keep = pipelineIds.ToHashSet();
        foreach (var id in _kept.Keys)
        {
            if (!keep.Contains(id))
            {
                _kept.TryRemove(id, out _);
                _gates.TryRemove(id, out _);
            }
        }
    }
}
