using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// Snapshots by hash under <c>{WorkRoot}/node-red/</c>. Node-RED keeps only its current flows, so this cache is
/// what lets a get fetch a snapshot after the instance moved on. Beside each snapshot, <c>&lt;hash&gt;.nodes.json</c>
/// keeps the node sets the instance had when it was taken: the modules behind the flows' node types.
/// </summary>
internal sealed class SnapshotCache(string workRoot)
{
    private readonly string _directory = Path.Combine(workRoot, "node-red");

    public string PathOf(string hash) => Path.Combine(_directory, hash + ".json");

    public string NodesPathOf(string hash) => Path.Combine(_directory, hash + ".nodes.json");

    public Task SaveAsync(FlowSnapshot snapshot, CancellationToken cancellation) => WriteOnceAsync(PathOf(snapshot.Hash), snapshot.Canonical, cancellation);

    public Task SaveNodesAsync(string hash, JsonArray nodes, CancellationToken cancellation) => WriteOnceAsync(NodesPathOf(hash), nodes.ToJsonString(), cancellation);

    public bool HasNodes(string hash) => File.Exists(NodesPathOf(hash));

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
