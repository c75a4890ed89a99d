namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// Snapshots by hash under <c>{WorkRoot}/node-red/</c>. Node-RED keeps only its current flows, so this cache is
/// what lets a get fetch a snapshot after the instance moved on.
/// </summary>
internal sealed class SnapshotCache(string workRoot)
{
    private readonly string _directory = Path.Combine(workRoot, "node-red");

    public string PathOf(string hash) => Path.Combine(_directory, hash + ".json");

    public async Task SaveAsync(FlowSnapshot snapshot, CancellationToken cancellation)
    {
        var path = PathOf(snapshot.Hash);
        if (File.Exists(path))
            return;
        Directory.CreateDirectory(_directory);
        // Written aside, then moved: a concurrent reader sees the whole file or none.
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        await File.WriteAllTextAsync(temporary, snapshot.Canonical, cancellation);
        File.Move(temporary, path, overwrite: true);
    }

    public async Task<string?> TryLoadAsync(string hash, CancellationToken cancellation)
    {
        var path = PathOf(hash);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellation) : null;
    }
}
