using System.Globalization;
using System.Text.RegularExpressions;

namespace Ferry.Core.Yaml;

/// <summary>The YAML 1.2 core schema for plain scalars, as go-yaml resolves them for Concourse.</summary>
internal static partial class ScalarTyping
{
    public static YamlScalarKind Resolve(string value, YamlScalarStyle style, string? tag)
    {
        if (tag is not null)
        {
            return tag switch
            {
                "tag:yaml.org,2002:null" or "!!null" => YamlScalarKind.Null,
                "tag:yaml.org,2002:bool" or "!!bool" => YamlScalarKind.Boolean,
                "tag:yaml.org,2002:int" or "!!int" => YamlScalarKind.Integer,
                "tag:yaml.org,2002:float" or "!!float" => YamlScalarKind.Float,
                _ => YamlScalarKind.String,
            };
        }
        if (style != YamlScalarStyle.Plain)
        {
            return YamlScalarKind.String;
        }
        if (value.Length == 0 || value is "~" or "null" or "Null" or "NULL")
        {
            return YamlScalarKind.Null;
        }
        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return YamlScalarKind.Boolean;
        }
        if (IntegerPattern().IsMatch(value) && ParseInteger(value) is not null)
        {
            return YamlScalarKind.Integer;
        }
        return FloatPattern().IsMatch(value) ? YamlScalarKind.Float : YamlScalarKind.String;
    }

    public static bool? ParseBoolean(string value) => value.ToUpperInvariant() switch
    {
        "TRUE" => true,
        "FALSE" => false,
        _ => null,
    };

    public static long? ParseInteger(string value)
    {
        var negative = value.StartsWith('-');
        var digits = value.TrimStart('-', '+');
        long parsed;
        bool ok;
        if (digits.StartsWith("0x", StringComparison.Ordinal))
        {
            ok = long.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out parsed);
        }
        else if (digits.StartsWith("0o", StringComparison.Ordinal))
        {
            try
            {
                parsed = Convert.ToInt64(digits[2..], 8);
                ok = true;
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                parsed = 0;
                ok = false;
            }
        }
        else
        {
            ok = long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out parsed);
        }
        return ok ? (negative ? -parsed : parsed) : null;
    }

    public static double? ParseFloat(string value)
    {
        switch (value)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                return double.PositiveInfinity;
            case "-.inf" or "-.Inf" or "-.INF":
                return double.NegativeInfinity;
            case ".nan" or ".NaN" or ".NAN":
                return double.NaN;
        }
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    [GeneratedRegex(@"^[-+]?(0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();
}
