using System.Text;

namespace Ferry.Core.Vars;

/// <summary>What a placeholder names: <c>((source:path.field))</c>, <c>((.:local))</c>, <c>(("a.b".c))</c>.</summary>
public sealed record VarReference(string? Source, string Path, IReadOnlyList<string> Fields)
{
    /// <summary>The text between the parentheses, as written.</summary>
    public string Text { get; init; } = "";

    /// <summary>The name a var is looked up by: <c>source:path</c> or <c>path</c>.</summary>
    public string Name => Source is null ? Path : $"{Source}:{Path}";

    public override string ToString() => Text.Length > 0 ? Text : Name + string.Concat(Fields.Select(f => "." + f));

    /// <summary>Parses the inside of <c>((...))</c>; null when it is not a var name.</summary>
    public static VarReference? Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }
        string? source = null;
        var rest = trimmed;
        var colon = IndexOutsideQuotes(trimmed, ':');
        if (colon >= 0)
        {
            source = trimmed[..colon];
            rest = trimmed[(colon + 1)..];
            if (source.Length == 0 || rest.Length == 0)
            {
                return null;
            }
        }
        var segments = SplitSegments(rest);
        if (segments is null || segments.Count == 0 || segments.Exists(s => s.Length == 0))
        {
            return null;
        }
        return new VarReference(source, segments[0], segments.Skip(1).ToList()) { Text = trimmed };
    }

    private static int IndexOutsideQuotes(string text, char wanted)
    {
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && text[i] == wanted)
            {
                return i;
            }
        }
        return -1;
    }

    private static List<string>? SplitSegments(string text)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '.' && !quoted)
            {
                segments.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }
        if (quoted)
        {
            return null;
        }
        segments.Add(current.ToString());
        return segments;
    }
}
