using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Core.Plans;

namespace Ferry.Engine.Running;

/// <summary>
/// Build-local vars <c>((.:name))</c> (from load_var and across), resolved in a leaf step's plan just before it runs,
/// since their values exist only at run time. A nested scope (an across iteration) sees its parent's vars.
/// </summary>
internal sealed partial class LocalVars(LocalVars? parent = null, IReadOnlyDictionary<string, JsonNode?>? initial = null)
{
    private readonly Dictionary<string, JsonNode?> vars = initial is null ? new(StringComparer.Ordinal) : new(initial, StringComparer.Ordinal);
    private readonly Lock gate = new();

    public void Set(string name, JsonNode? value)
    {
        lock (gate)
        {
            vars[name] = value;
        }
    }

    public bool TryGet(string name, out JsonNode? value)
    {
        lock (gate)
        {
            if (vars.TryGetValue(name, out value))
            {
                return true;
            }
        }
        value = null;
        return parent is not null && parent.TryGet(name, out value);
    }

    /// <summary>The plan with every <c>((.:name.field))</c> replaced; a string that is only a var takes the var's JSON type.</summary>
    public T Resolve<T>(T plan, string what) where T : PlanNode
    {
        // Most steps use no local var: the UTF-8 text answers that without building a JSON tree.
        var text = JsonSerializer.SerializeToUtf8Bytes<PlanNode>(plan, PlanJson.Options);
        if (text.AsSpan().IndexOf("((.:"u8) < 0)
        {
            return plan;
        }
        var resolved = Walk(JsonNode.Parse(text), what);
        return (T)resolved.Deserialize<PlanNode>(PlanJson.Options)!;
    }

    private JsonNode? Walk(JsonNode? node, string what)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    var value = o[key];
                    var walked = Walk(value, what);
                    if (!ReferenceEquals(walked, value))
                    {
                        o[key] = walked;
                    }
                }
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var walked = Walk(a[i], what);
                    if (!ReferenceEquals(walked, a[i]))
                    {
                        a[i] = walked;
                    }
                }
                return a;
            case JsonValue v when v.TryGetValue<string>(out var text) && text.Contains("((.:", StringComparison.Ordinal):
                var whole = Placeholder().Match(text);
                if (whole.Success && whole.Length == text.Length)
                {
                    return Lookup(whole.Groups[1].Value, what)?.DeepClone();
                }
                return JsonValue.Create(Placeholder().Replace(text, m => AsText(Lookup(m.Groups[1].Value, what))));
            default:
                return node;
        }
    }

    private JsonNode? Lookup(string reference, string what)
    {
        var parts = reference.Split('.');
        if (!TryGet(parts[0], out var value))
        {
            throw new StepException($"{what}: undefined local var ((.:{parts[0]}))");
        }
        foreach (var field in parts.Skip(1))
        {
            value = value is JsonObject o && o.TryGetPropertyValue(field, out var inner)
                ? inner
                : throw new StepException($"{what}: local var ((.:{reference})) has no field '{field}'");
        }
        return value;
    }

    public static string AsText(JsonNode? value) =>
        value is null ? "" : value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();

    [GeneratedRegex(@"\(\(\.:([^()\s]+)\)\)")]
    private static partial Regex Placeholder();
}
