using System.Globalization;
using System.Text.Json.Nodes;

namespace Ferry.Benchmarks.NodeRed;

/// <summary>
/// A generated flow of <see cref="Nodes"/> nodes: <see cref="Tabs"/> tabs, each with environment keys and chains of
/// inject -> function -> change -> debug wired together. <c>edit</c> changes one function's code on the first tab,
/// as a person editing development would, so each round is a new snapshot.
/// </summary>
internal static class LargeFlow
{
    public const int Tabs = 10;
    public const int Nodes = 1000;
    private const int PerTab = Nodes / Tabs - 1;
    private static readonly string[] Kinds = ["inject", "function", "change", "debug"];

    /// <param name="apiUrl">The value of every tab's API_URL (the key travels, the value stays with each instance).</param>
    public static JsonArray Of(int edit, string apiUrl)
    {
        var flows = new JsonArray();
        for (var t = 0; t < Tabs; t++)
        {
            var tab = $"tab{t:00}";
            flows.Add(new JsonObject
            {
                ["id"] = tab,
                ["type"] = "tab",
                ["label"] = $"Flow {t}",
                ["disabled"] = false,
                ["info"] = "",
                ["env"] = new JsonArray(
                    Env("API_URL", apiUrl),
                    Env("LOG_LEVEL", "info"),
                    Env($"TAB_{t}_LIMIT", "100")),
            });
            for (var k = 0; k < PerTab; k++)
                flows.Add(Node(tab, t, k, edit));
        }
        return flows;
    }

    private static JsonObject Env(string name, string value) => new() { ["name"] = name, ["value"] = value, ["type"] = "str" };

    private static JsonObject Node(string tab, int t, int k, int edit)
    {
        var id = Id(t, k);
        var kind = Kinds[k % Kinds.Length];
        // Each chain of four ends in its debug node; the last node of a tab ends the tab's last, shorter chain.
        var wires = kind == "debug" || k == PerTab - 1 ? new JsonArray() : new JsonArray(new JsonArray(Id(t, k + 1)));
        var node = new JsonObject
        {
            ["id"] = id,
            ["type"] = kind,
            ["z"] = tab,
            ["name"] = $"{kind} {t}.{k}",
            ["x"] = 150 + 200 * (k % Kinds.Length),
            ["y"] = 40 + 60 * (k / Kinds.Length),
            ["wires"] = wires,
        };
        switch (kind)
        {
            case "inject":
                node["props"] = new JsonArray(new JsonObject { ["p"] = "payload" }, new JsonObject { ["p"] = "topic", ["vt"] = "str" });
                node["repeat"] = "";
                node["crontab"] = "";
                node["once"] = false;
                node["onceDelay"] = 0.1;
                node["topic"] = $"t{t}";
                node["payload"] = "";
                node["payloadType"] = "date";
                break;
            case "function":
                var version = t == 0 && k == 1 ? edit : 0;
                node["func"] = $"// edit {version}\nmsg.payload = {{ at: msg.payload, tab: {t}, step: {k}, limit: env.get('TAB_{t}_LIMIT') }};\nreturn msg;";
                node["outputs"] = 1;
                node["timeout"] = 0;
                node["noerr"] = 0;
                node["initialize"] = "";
                node["finalize"] = "";
                node["libs"] = new JsonArray();
                break;
            case "change":
                node["rules"] = new JsonArray(new JsonObject
                {
                    ["t"] = "set", ["p"] = "topic", ["pt"] = "msg", ["to"] = "API_URL", ["tot"] = "env",
                });
                node["action"] = "";
                node["property"] = "";
                node["from"] = "";
                node["to"] = "";
                node["reg"] = false;
                break;
            default:
                node["active"] = false;
                node["tosidebar"] = true;
                node["console"] = false;
                node["tostatus"] = false;
                node["complete"] = "payload";
                node["targetType"] = "msg";
                node["statusVal"] = "";
                node["statusType"] = "auto";
                break;
        }
        return node;
    }

    private static string Id(int t, int k) => string.Create(CultureInfo.InvariantCulture, $"n{t:00}{k:000}");

    /// <summary>The edit number a deployed flow carries (from the first tab's first function), to see which round arrived.</summary>
    public static int EditOf(JsonArray flows)
    {
        var func = (string)flows.OfType<JsonObject>().Single(n => (string?)n["id"] == Id(0, 1))["func"]!;
        return int.Parse(func["// edit ".Length..func.IndexOf('\n', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
    }

    /// <summary>The API_URL value of the first tab, to see that an instance kept its own.</summary>
    public static string? ApiUrlOf(JsonArray flows) =>
        flows.OfType<JsonObject>().Single(n => (string?)n["id"] == "tab00")["env"]?.AsArray().OfType<JsonObject>()
            .FirstOrDefault(e => (string?)e["name"] == "API_URL")?["value"]?.GetValue<string>();
}
