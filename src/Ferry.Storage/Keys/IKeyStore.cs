namespace Ferry.Storage.Keys;

/// <summary>
/// Key material shared by every server node through the database, wrapped by the <see cref="MasterKey"/>. Only a store
/// opened with a master key has a key ring; without one each node keeps its keys in its data directory.
/// </summary>
public interface IKeyStore
{
    /// <summary>Whether this store was opened with a master key (and so keeps its keys in the database).</summary>
    bool HasKeyRing { get; }

    /// <summary>The UI's data-protection keys (ASP.NET Core's XML elements), unwrapped, oldest first.</summary>
    Task<IReadOnlyList<string>> ListProtectionKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a data-protection key; a name already there is kept as it is (the first node's wins).</summary>
    Task AddProtectionKeyAsync(string name, string xml, CancellationToken cancellationToken = default);

    /// <summary>
    /// Wraps every key ring entry with <paramref name="next"/> instead of the store's master key, in one transaction.
    /// Returns how many entries were wrapped again. Nodes still running keep the keys they unwrapped; each node started
    /// afterwards needs <paramref name="next"/>.
    /// </summary>
    Task<int> RotateMasterKeyAsync(MasterKey next, CancellationToken cancellationToken = default);
}
