using Ferry.Storage.Nodes;
using Ferry.Storage.Workers;

namespace Ferry.Engine.Workers;

/// <summary>
/// Which workers may run a build, by Concourse's rule for tags: a worker with tags runs only builds whose tags it all
/// has, an untagged build runs only on untagged workers (the servers' embedded ones, or untagged remote workers).
/// Says why a pending build waits, for <c>ferry explain</c>.
/// </summary>
public static class WorkerFit
{
    /// <summary>A line on a pending build: the workers that may take it, or why none may.</summary>
    public static string WhyPending(string build, IReadOnlyList<string> tags, IReadOnlyList<NodeRecord> nodes, IReadOnlyList<WorkerRecord> workers)
    {
        var remote = workers.Where(w => w.State == WorkerState.Running).ToList();
        var fitting = remote.Where(w => Fits(tags, w.Tags)).Select(w => $"worker {w.Name} ({w.Running.Count}/{w.Capacity} running)").ToList();
        if (tags.Count == 0)
            fitting.InsertRange(0, nodes.Where(n => n.Live && n.EmbeddedWorker).Select(n => $"server {n.Name}'s embedded worker"));
        if (fitting.Count > 0)
            return $"{build} is pending: it starts when one of these has room: {string.Join(", ", fitting)}";
        var others = remote.Count == 0
            ? "no remote worker is running"
            : "running remote workers: " + string.Join(", ", remote.Select(w => $"{w.Name} [{string.Join(", ", w.Tags)}]"));
        return tags.Count == 0
            ? $"{build} waits: it has no tags, so it runs on an untagged worker, and there is none: every server runs with --no-embedded-worker, and {others} untagged"
            : $"{build} waits: no running worker has all its tags [{string.Join(", ", tags)}]; {others}";
    }

    /// <summary>Whether a worker with <paramref name="workerTags"/> may run a build with <paramref name="buildTags"/>.</summary>
    public static bool Fits(IReadOnlyList<string> buildTags, IReadOnlyList<string> workerTags) =>
        buildTags.Count == 0 ? workerTags.Count == 0 : buildTags.All(t => workerTags.Contains(t, StringComparer.Ordinal));
}
