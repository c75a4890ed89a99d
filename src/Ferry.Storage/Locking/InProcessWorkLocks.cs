using System.Collections.Concurrent;

namespace Ferry.Storage.Locking;

/// <summary>SQLite serves one server process, so a set of held keys is enough.</summary>
internal sealed class InProcessWorkLocks : IWorkLocks
{
    private readonly ConcurrentDictionary<string, byte> _held = new(StringComparer.Ordinal);

    public Task<IAsyncDisposable?> TryAcquireAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult<IAsyncDisposable?>(_held.TryAdd(key, 0) ? new HeldKey(this, key) : null);

    private sealed class HeldKey(InProcessWorkLocks owner, string key) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner._held.TryRemove(key, out _);
            }
            return ValueTask.CompletedTask;
        }
    }
}
