using System.Collections.Concurrent;

namespace Ferry.Server.Hosting;

/// <summary>
/// How many passes each background loop of this node has finished, and when the last one ended (shown by
/// <c>/api/v1/info</c>). An operator sees a loop that stopped working; a test that must show something did not
/// happen waits for a pass that began after the change, instead of sleeping and hoping one ran.
/// </summary>
internal sealed class LoopPasses
{
    private readonly ConcurrentDictionary<string, LoopPass> _passes = new(StringComparer.Ordinal);

    /// <summary>A pass of <paramref name="loop"/> ran to its end (a pass that threw does not count).</summary>
    public void Finished(string loop, DateTimeOffset at) =>
        _passes.AddOrUpdate(loop, _ => new LoopPass(loop, 1, at), (_, pass) => pass with { Passes = pass.Passes + 1, LastEndedAt = at });

    public IReadOnlyList<LoopPass> All => [.. _passes.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];
}

/// <param name="Passes">Passes finished since this node started.</param>
internal sealed record LoopPass(string Name, long Passes, DateTimeOffset LastEndedAt);
