using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources;

public enum FieldKind
{
    String,
    Integer,
    Boolean,
    /// <summary>A list of strings; a single string is accepted as a list of one.</summary>
    StringList,
    Object,
    Any,
}

public sealed record ConfigField(string Name, FieldKind Kind, bool Required = false);

/// <summary>Problems found in a config object: errors stop a run, warnings (unknown fields) do not.</summary>
public sealed record ConfigProblems(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings)
{
    public bool Ok => Errors.Count == 0;
}

/// <summary>
/// The fields a resource type accepts in <c>source</c> (or a step's <c>params</c>). Unknown fields are warnings, not
/// errors, because Concourse pipelines carry fields for options Ferry does not implement yet.
/// </summary>
public sealed class ConfigSchema(IReadOnlyList<ConfigField> fields, bool open = false)
{
    /// <summary>Accepts any object: external types define their own config.</summary>
    public static readonly ConfigSchema Open = new([], open: true);

    public IReadOnlyList<ConfigField> Fields { get; } = fields;

    public bool IsOpen { get; } = open;

    public ConfigProblems Validate(JsonObject? config, string path)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        config ??= [];
        foreach (var field in Fields)
        {
            var present = config.TryGetPropertyValue(field.Name, out var value) && value is not null;
            if (!present)
            {
                if (field.Required)
                    errors.Add($"{path}.{field.Name}: required");
                continue;
            }

            if (KindError(field.Kind, value!) is { } error)
                errors.Add($"{path}.{field.Name}: {error}");
        }

        if (!IsOpen)
        {
            foreach (var (name, _) in config)
            {
                if (!Fields.Any(f => f.Name == name))
                    warnings.Add($"{path}.{name}: unknown field, ignored (known: {string.Join(", ", Fields.Select(f => f.Name))})");
            }
        }

        return new ConfigProblems(errors, warnings);
    }

    /// <summary>Throws <see cref="ResourceConfigException"/> when <paramref name="config"/> has errors.</summary>
    public void Enforce(JsonObject? config, string path)
    {
        var problems = Validate(config, path);
        if (!problems.Ok)
            throw new ResourceConfigException(problems.Errors);
    }

    private static string? KindError(FieldKind kind, JsonNode value)
    {
        // A ((var)) left in place validates as anything: set-pipeline checks config before vars are known.
        if (value is JsonValue v && v.TryGetValue<string>(out var s) && s.StartsWith("((", StringComparison.Ordinal) && s.EndsWith("))", StringComparison.Ordinal))
            return null;
        return kind switch
        {
            FieldKind.String => IsScalar(value, JsonValueKind.String) ? null : "must be a string",
            FieldKind.Integer => value is JsonValue i && (i.GetValueKind() == JsonValueKind.Number ? i.TryGetValue<long>(out _) : int.TryParse(i.ToString(), out _)) ? null : "must be an integer",
            FieldKind.Boolean => value is JsonValue b && (b.GetValueKind() is JsonValueKind.True or JsonValueKind.False) ? null : "must be true or false",
            FieldKind.StringList => IsScalar(value, JsonValueKind.String) || (value is JsonArray a && a.All(e => e is not null && IsScalar(e, JsonValueKind.String))) ? null : "must be a string or a list of strings",
            FieldKind.Object => value is JsonObject ? null : "must be an object",
            _ => null,
        };
    }

    private static bool IsScalar(JsonNode node, JsonValueKind kind) => node is JsonValue v && v.GetValueKind() == kind;
}
