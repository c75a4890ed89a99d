using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.NodeRed;

/// <summary>
/// Whether a node-red <c>source</c> (vars already filled in) reaches Node-RED's Admin API: one <c>GET /flows</c>
/// with <c>Node-RED-API-Version: v2</c>, as a check would make. Asked before a stage is bound to it.
/// </summary>
public static class NodeRedProbe
{
    /// <returns>How many flow entries (tabs, nodes, config nodes) the instance runs.</returns>
    /// <exception cref="ResourceException">The source is wrong, or the URL is no Admin API, or does not answer in time; the message says which.</exception>
    public static async Task<int> ProbeAsync(JsonObject source, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var parsed = NodeRedSource.Parse(source);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            return (await new NodeRedAdmin(parsed).GetFlowsAsync(deadline.Token)).Flows.Count;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw ResourceException.Retryable($"node-red: GET {parsed.FlowsUrl} did not answer within {timeout.TotalSeconds:0} s", e);
        }
    }
}
