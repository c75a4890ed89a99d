namespace Ferry.Core.Plans;

/// <summary>
/// Where a build may run, from its plan: the union of its steps' <c>tags</c> (only a worker with all of them runs it,
/// as in Concourse; a build without tags runs on untagged workers), and whether only a server's embedded worker may run
/// it (a put to a Node-RED instance, whose deploy is recorded from the snapshot the put keeps in the server's cache).
/// </summary>
public sealed record PlanPlacement(IReadOnlyList<string> Tags, bool EmbeddedOnly)
{
    public static PlanPlacement Of(PlanNode plan)
    {
        var tags = new SortedSet<string>(StringComparer.Ordinal);
        var embeddedOnly = false;
        foreach (var node in plan.Descendants())
        {
            switch (node)
            {
                case TaskPlan task:
                    tags.UnionWith(task.Tags);
                    break;
                case GetPlan get:
                    tags.UnionWith(get.Tags);
                    break;
                case PutPlan put:
                    tags.UnionWith(put.Tags);
                    embeddedOnly |= put.Resource.StartsWith("instance(", StringComparison.Ordinal);
                    break;
            }
        }
        return new PlanPlacement([.. tags.Where(t => t.Length > 0)], embeddedOnly);
    }

    /// <summary>Whether a worker with <paramref name="workerTags"/> may run a build placed so (a remote one when <paramref name="remote"/>).</summary>
    public bool Fits(IReadOnlyCollection<string> workerTags, bool remote) =>
        !(remote && EmbeddedOnly) && (Tags.Count == 0 ? workerTags.Count == 0 : Tags.All(workerTags.Contains));
}
