using System.Text.Json.Nodes;
using Ferry.Core.Flows;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// The put's last guard against overwriting hand edits: a deploy that expects the instance to run the snapshot Ferry
/// deployed there last (<c>expect_shape</c>, <c>expect_snapshot</c>, and <c>expect_rev</c>, the rev the instance gave
/// it) fails without deploying when the instance runs something else, unless it is forced (<c>force</c>). The promotion
/// decision refuses drift first; this catches an edit made after the decision.
/// </summary>
internal sealed record DriftGuard(string? ExpectShape, string? ExpectSnapshot, string? ExpectRev, bool Force)
{
    public static DriftGuard Read(ConfigReader read) =>
        new(read.String("expect_shape"), read.String("expect_snapshot"), read.String("expect_rev"), read.Boolean("force"));

    /// <summary>The hash drift is judged by: the flows without environment values (<see cref="FlowShape"/>).</summary>
    public static string ShapeOf(JsonArray flows) => FlowSnapshot.ShapeHashOf(flows);

    /// <summary>
    /// Whether <paramref name="live"/> still is what Ferry deployed (<paramref name="deployedShape"/>, given rev
    /// <paramref name="deployedRev"/>). Node-RED's rev is the SHA-256 of the flows it runs: the same rev is the same
    /// flows, and only another rev needs the flows' shape, which a hand edit of environment values alone keeps.
    /// </summary>
    public static bool Unchanged(DeployedFlows live, string deployedShape, string? deployedRev) =>
        (deployedRev is not null && live.Rev == deployedRev) || ShapeOf(live.Flows) == deployedShape;

    /// <exception cref="ResourceException">The instance drifted and the deploy is not forced.</exception>
    public async Task CheckAsync(NodeRedSource source, DeployedFlows live, SnapshotCache cache, CancellationToken cancellation)
    {
        if (Force || ExpectShape is null || Unchanged(live, ExpectShape, ExpectRev))
            return;
        var changes = ExpectSnapshot is not null && await cache.TryLoadAsync(ExpectSnapshot, cancellation) is { } text && JsonNode.Parse(text) is JsonArray expected
            ? FlowShape.Describe(FlowDiff.Between(FlowShape.Of(expected), FlowShape.Of(live.Flows)))
            : "its flows differ from the snapshot Ferry deployed there last";
        throw ResourceException.Terminal(
            $"node-red put: {source.Url} was changed by hand since Ferry deployed there ({changes}); nothing was deployed. " +
            "Promote with force (--force) to overwrite those changes.");
    }
}
