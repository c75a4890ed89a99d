using System.Text.Json.Nodes;

namespace Ferry.Tests.LocalServers;

/// <summary>
/// The flows and the pipeline the Node-RED stage tests share: a tab "Orders" whose env carries the instance's own
/// values, and development -> staging (-> production) stages bound to local instances, each promoted by hand.
/// </summary>
internal static class TestFlows
{
    /// <summary>One env entry of a tab, as the editor writes it.</summary>
    public static string Env(string name, string value) => $$"""{"name": "{{name}}", "value": "{{value}}", "type": "str"}""";

    /// <summary>
    /// Tab t1 "Orders" with the given env entries and inject n1 named <paramref name="injectName"/>, wired to debug n2
    /// "out" (unless <paramref name="withDebug"/> is false); with <paramref name="withBilling"/>, a tab t2 "Billing"
    /// holding debug n3 too.
    /// </summary>
    public static JsonArray Orders(string env, string injectName = "tick", bool withDebug = true, bool withBilling = false) => JsonNode.Parse($$"""
        [
          {"id": "t1", "type": "tab", "label": "Orders", "env": [{{env}}]},
          {"id": "n1", "type": "inject", "z": "t1", "name": "{{injectName}}", "props": [], "repeat": "", "once": false, "wires": [{{(withDebug ? "[\"n2\"]" : "")}}]}
          {{(withDebug ? """, {"id": "n2", "type": "debug", "z": "t1", "name": "out", "active": true, "wires": []}""" : "")}}
          {{(withBilling ? """, {"id": "t2", "type": "tab", "label": "Billing"}, {"id": "n3", "type": "debug", "z": "t2", "name": "bill", "active": true, "wires": []}""" : "")}}
        ]
        """)!.AsArray();

    /// <summary>The node <paramref name="id"/> of <paramref name="flows"/>.</summary>
    public static JsonObject Node(JsonArray flows, string id) => flows.OfType<JsonObject>().Single(n => (string?)n["id"] == id);

    /// <summary>
    /// A pipeline whose development stage takes its releases from the instance at <paramref name="dev"/> and whose
    /// staging (and, given <paramref name="production"/>, production after it) deploy into theirs, promoted by hand.
    /// </summary>
    public static string Stages(string dev, string staging, string? production = null) => $$"""
        resources:
          - name: dev-flows
            type: node-red
            source: { url: "{{dev}}" }
        environments:
          - name: development
            instance: dev-flows
          - name: staging
            from: [development]
            instance: { type: node-red, source: { url: "{{staging}}" } }
            promote: manual
        """ + (production is null ? "" : $$"""

          - name: production
            from: [staging]
            instance: { type: node-red, source: { url: "{{production}}" } }
            promote: manual
        """);
}
