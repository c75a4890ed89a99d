using System.Text.Json.Nodes;

namespace Ferry.Tests.LocalServers;

/// <summary>
/// A real node module, <c>node-red-contrib-ferry-shout@1.2.3</c> with one node type <c>ferry-shout</c>, written into a
/// user directory's node_modules as `npm install` in it leaves one: Node-RED loads it at start
/// (<see cref="NodeRedOptions.UserDir"/>). Flows using it need the module in the instance they are pushed to.
/// </summary>
internal static class NodeRedShoutModule
{
    public const string Module = "node-red-contrib-ferry-shout";
    public const string Version = "1.2.3";

    public static void Install(string userDir)
    {
        var module = Directory.CreateDirectory(Path.Combine(userDir, "node_modules", Module)).FullName;
        File.WriteAllText(Path.Combine(module, "package.json"), $$$$"""
            {"name": "{{{{Module}}}}", "version": "{{{{Version}}}}", "keywords": ["node-red"], "node-red": {"nodes": {"ferry-shout": "shout.js"}}}
            """);
        File.WriteAllText(Path.Combine(module, "shout.js"), """
            module.exports = function (RED) {
              function Shout(config) {
                RED.nodes.createNode(this, config);
                this.on("input", (msg, send, done) => { msg.payload = String(msg.payload).toUpperCase(); send(msg); done(); });
              }
              RED.nodes.registerType("ferry-shout", Shout);
            };
            """);
        File.WriteAllText(Path.Combine(module, "shout.html"), """
            <script type="text/javascript">
              RED.nodes.registerType("ferry-shout", { category: "function", defaults: { name: { value: "" } }, inputs: 1, outputs: 1, label: function () { return this.name || "shout"; } });
            </script>
            <script type="text/html" data-template-name="ferry-shout"></script>
            """);
    }

    /// <summary>A tab whose inject feeds a ferry-shout node into a debug.</summary>
    public static JsonArray Flows(string label) => JsonNode.Parse($$"""
        [
          {"id": "t1", "type": "tab", "label": "{{label}}"},
          {"id": "n1", "type": "inject", "z": "t1", "name": "tick", "props": [], "repeat": "", "once": false, "wires": [["s1"]]},
          {"id": "s1", "type": "ferry-shout", "z": "t1", "name": "", "wires": [["n2"]]},
          {"id": "n2", "type": "debug", "z": "t1", "name": "out", "active": true, "wires": []}
        ]
        """)!.AsArray();
}
