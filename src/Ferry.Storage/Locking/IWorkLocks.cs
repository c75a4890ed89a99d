namespace Ferry.Storage.Locking;

/// <summary>
/// Non-blocking locks per unit of work. Key examples: <c>check:&lt;resource id&gt;</c>, <c>schedule:&lt;job id&gt;</c>.
/// </summary>
public interface IWorkLocks
{
    /// <summary>Takes the lock, or returns null at once when someone (this or another server node) holds it. Dispose to release.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string key, CancellationToken cancellationToken = default);
}
