using System.Globalization;

namespace Ferry.Core.Yaml;

public enum YamlScalarStyle
{
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

public enum YamlScalarKind
{
    Null,
    Boolean,
    Integer,
    Float,
    String,
}

/// <summary>A scalar with its raw text, its style and the type the core schema gives it.</summary>
/// <remarks>Only plain, untagged scalars are typed, so <c>"1"</c> stays a string (as go-yaml reads it).</remarks>
public sealed class YamlScalar : YamlNode
{
    public YamlScalar(SourceLocation location, string value, YamlScalarStyle style, string? tag = null)
        : base(location)
    {
        Value = value;
        Style = style;
        Tag = tag;
        Kind = ScalarTyping.Resolve(value, style, tag);
    }

    /// <summary>The text as written (after YAML unescaping).</summary>
    public string Value { get; }

    public YamlScalarStyle Style { get; }

    public string? Tag { get; }

    public YamlScalarKind Kind { get; }

    public bool IsNull => Kind == YamlScalarKind.Null;

    public bool? AsBoolean() => Kind == YamlScalarKind.Boolean ? ScalarTyping.ParseBoolean(Value) : null;

    public long? AsInteger() => Kind == YamlScalarKind.Integer ? ScalarTyping.ParseInteger(Value) : null;

    public double? AsFloat() => Kind switch
    {
        YamlScalarKind.Float => ScalarTyping.ParseFloat(Value),
        YamlScalarKind.Integer => ScalarTyping.ParseInteger(Value),
        _ => null,
    };

    public override string Describe() => Kind switch
    {
        YamlScalarKind.Null => "null",
        YamlScalarKind.Boolean => "boolean",
        YamlScalarKind.Integer => "integer",
        YamlScalarKind.Float => "number",
        _ => "string",
    };

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
