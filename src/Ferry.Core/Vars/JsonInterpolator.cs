using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Core.Vars;

/// <summary>Fills placeholders in JSON config at run time (resource source, step params), from var sources and secrets.</summary>
public static class JsonInterpolator
{
    /// <summary>Returns a new node; the input is not changed. Unknown vars stay as placeholders and are reported.</summary>
    public static InterpolationResult Interpolate(JsonNode? node, VarLookup lookup)
    {
        var run = new Run(lookup);
        var value = run.Visit(node);
        return new InterpolationResult(value, run.Used.ToList(), run.SecretNames.ToList(),
            run.SecretValues.ToList(), run.Unresolved, run.Errors);
    }

    /// <summary>Every placeholder a node holds, without resolving any.</summary>
    public static IReadOnlyList<VarReference> References(JsonNode? node)
    {
        var found = new List<VarReference>();
        var pending = new Stack<JsonNode?>();
        pending.Push(node);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject obj:
                    foreach (var property in obj)
                    {
                        pending.Push(property.Value);
                    }
                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        pending.Push(item);
                    }
                    break;
                case JsonValue value when value.TryGetValue<string>(out var text):
                    found.AddRange(Placeholders.Find(text).Select(p => p.Reference));
                    break;
            }
        }
        return found;
    }

    private sealed class Run(VarLookup lookup)
    {
        public SortedSet<string> Used { get; } = new(StringComparer.Ordinal);
        public SortedSet<string> SecretNames { get; } = new(StringComparer.Ordinal);
        public HashSet<string> SecretValues { get; } = new(StringComparer.Ordinal);
        public List<VarReference> Unresolved { get; } = [];
        public List<string> Errors { get; } = [];

        public JsonNode? Visit(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    var copy = new JsonObject();
                    foreach (var property in obj)
                    {
                        copy[property.Key] = Visit(property.Value);
                    }
                    return copy;
                case JsonArray array:
                    return new JsonArray(array.Select(Visit).ToArray());
                case JsonValue value when value.TryGetValue<string>(out var text):
                    return String(text);
                default:
                    return node?.DeepClone();
            }
        }

        private JsonNode? String(string text)
        {
            var found = Placeholders.Find(text);
            if (found.Count == 0)
            {
                return JsonValue.Create(text);
            }
            if (found.Count == 1 && found[0].Start == 0 && found[0].Length == text.Length)
            {
                return Resolve(found[0].Reference, out var whole) ? whole?.DeepClone() : JsonValue.Create(text);
            }
            var builder = new StringBuilder();
            var position = 0;
            foreach (var placeholder in found)
            {
                builder.Append(text, position, placeholder.Start - position);
                position = placeholder.Start + placeholder.Length;
                if (Resolve(placeholder.Reference, out var value) && Embeddable(value, out var part))
                {
                    builder.Append(part);
                }
                else
                {
                    if (value is not null)
                    {
                        Errors.Add($"var '{placeholder.Reference}' is not a string or a number and cannot be embedded in a string");
                    }
                    builder.Append(text, placeholder.Start, placeholder.Length);
                }
            }
            builder.Append(text, position, text.Length - position);
            return JsonValue.Create(builder.ToString());
        }

        private bool Resolve(VarReference reference, out JsonNode? value)
        {
            value = null;
            var found = lookup(reference with { Fields = [] });
            if (found is null)
            {
                Unresolved.Add(reference);
                return false;
            }
            Used.Add(reference.Name);
            var current = found.Value;
            foreach (var field in reference.Fields)
            {
                if (current is not JsonObject obj || !obj.TryGetPropertyValue(field, out current))
                {
                    Errors.Add($"var '{reference}': field '{field}' not found");
                    return false;
                }
            }
            if (found.Secret)
            {
                SecretNames.Add(reference.Name);
                CollectSecretStrings(current);
            }
            value = current;
            return true;
        }

        private void CollectSecretStrings(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var property in obj)
                    {
                        CollectSecretStrings(property.Value);
                    }
                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        CollectSecretStrings(item);
                    }
                    break;
                case JsonValue scalar when Embeddable(scalar, out var text) && text.Length > 0:
                    SecretValues.Add(text);
                    break;
            }
        }

        private static bool Embeddable(JsonNode? value, out string text)
        {
            text = "";
            if (value is not JsonValue scalar)
            {
                return false;
            }
            switch (scalar.GetValueKind())
            {
                case JsonValueKind.String:
                    text = scalar.GetValue<string>();
                    return true;
                case JsonValueKind.Number:
                    text = scalar.ToJsonString();
                    return true;
                default:
                    return false;
            }
        }
    }
}
