using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// Snapshots by hash under <c>{WorkRoot}/node-red/</c>. Node-RED keeps only its current flows, so this cache is
/// what lets a get fetch a snapshot after the instance moved on. Beside each snapshot, <c>&lt;hash&gt;.nodes.json</c>
/// keeps the node sets the instance had when it was taken: the modules behind the flows' node types; and, for a
/// snapshot Ferry deployed, <c>&lt;hash&gt;.shape</c> its shape (<see cref="DriftGuard.ShapeOf"/>), hashed while the
/// instance deployed it, so that recording the deploy reads 64 characters instead of hashing a thousand nodes again.
/// </summary>
internal sealed class SnapshotCache(string workRoot)
{
    private readonly string _directory = Path.Combine(workRoot, "node-red");

    public string PathOf(string hash) => Path.Combine(_directory, hash + ".json");

    public string NodesPathOf(string hash) => Path.Combine(_directory, hash + ".nodes.json");

    public Task SaveAsync(FlowSnapshot snapshot, CancellationToken cancellation) => WriteOnceAsync(PathOf(snapshot.Hash), snapshot.Canonical, cancellation);

    public Task SaveNodesAsync(string hash, JsonArray nodes, CancellationToken cancellation) => WriteOnceAsync(NodesPathOf(hash), nodes.ToJsonString(), cancellation);

    public bool HasNodes(string hash) => File.Exists(NodesPathOf(hash));

    public Task SaveShapeAsync(string hash, string shape, CancellationToken cancellation) =>
        WriteOnceAsync(Path.Combine(_directory, hash + ".shape"), shape, cancellation);

    /// <summary>The snapshot's shape when it was kept; null when not, or when the file is not a SHA-256 (recomputed, not trusted).</summary>
    public async Task<string?> TryLoadShapeAsync(string hash, CancellationToken cancellation)
    {
        var path = Path.Combine(_directory, hash + ".shape");
        return File.Exists(path) && await File.ReadAllTextAsync(path, cancellation) is { Length: 64 } shape && shape.All(Uri.IsHexDigit) ? shape : null;
    }

    public async Task<string?> TryLoadAsync(string hash, CancellationToken cancellation)
    {
        var path = PathOf(hash);
        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellation) : null;
    }

    public async Task<JsonArray?> TryLoadNodesAsync(string hash, CancellationToken cancellation)
    {
        var path = NodesPathOf(hash);
        return File.Exists(path) ? JsonNode.Parse(await File.ReadAllTextAsync(path, cancellation)) as JsonArray : null;
    }

    private async Task WriteOnceAsync(string path, string text, CancellationToken cancellation)
    {
        if (File.Exists(path))
            return;
        Directory.CreateDirectory(_directory);
        // Written aside, then moved: a concurrent reader sees the whole file or none.
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        await File.WriteAllTextAsync(temporary, text, cancellation);
        File.Move(temporary, path, overwrite: true);
    }
}
