using System.Text.Json.Nodes;

namespace Ferry.Server.Pipelines;

/// <summary>
/// What changes between two configs: a line diff of the YAML with three lines of context, then the vars by name
/// only (their values may be secrets).
/// </summary>
internal static class ConfigDiff
{
    private const int Context = 3;

    /// <summary>Above this many differing lines on each side the diff shows a replacement instead of a minimal edit.</summary>
    private const int MaxLcsLines = 2000;

    public static List<string> Of(string? oldYaml, JsonObject? oldVars, string newYaml, JsonObject newVars)
    {
        var lines = Lines(Split(oldYaml), Split(newYaml));
        lines.AddRange(Vars(oldVars ?? [], newVars));
        return lines;
    }

    private static string[] Split(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');

    internal static List<string> Lines(string[] a, string[] b)
    {
        var edits = Edits(a, b);
        var result = new List<string>();
        var i = 0;
        while (i < edits.Count)
        {
            if (edits[i].Kind == ' ')
            {
                i++;
                continue;
            }
            // A hunk: from Context lines before this change to Context lines after the last change within reach.
            var start = Math.Max(0, i - Context);
            var end = i;
            while (end < edits.Count)
            {
                var next = end;
                while (next < edits.Count && edits[next].Kind == ' ')
                {
                    next++;
                }
                if (next == edits.Count || next - end > 2 * Context)
                {
                    end = Math.Min(edits.Count, end + Context);
                    break;
                }
                end = next + 1;
                while (end < edits.Count && edits[end].Kind != ' ')
                {
                    end++;
                }
            }
            var first = edits[start];
            result.Add($"@@ -{first.OldLine + 1} +{first.NewLine + 1} @@");
            for (var k = start; k < end; k++)
            {
                result.Add($"{edits[k].Kind} {edits[k].Text}");
            }
            i = end;
        }
        return result;
    }

    private static List<string> Vars(JsonObject oldVars, JsonObject newVars)
    {
        var result = new List<string>();
        foreach (var name in oldVars.Select(p => p.Key).Union(newVars.Select(p => p.Key)).Order(StringComparer.Ordinal))
        {
            var had = oldVars.TryGetPropertyValue(name, out var before);
            var has = newVars.TryGetPropertyValue(name, out var after);
            if (had && !has)
            {
                result.Add($"- var {name}");
            }
            else if (!had && has)
            {
                result.Add($"+ var {name}");
            }
            else if (!JsonNode.DeepEquals(before, after))
            {
                result.Add($"~ var {name} (value changed)");
            }
        }
        return result;
    }

    private readonly record struct Edit(char Kind, string Text, int OldLine, int NewLine);

    private static List<Edit> Edits(string[] a, string[] b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }
        var edits = new List<Edit>(a.Length + b.Length);
        for (var k = 0; k < prefix; k++)
        {
            edits.Add(new Edit(' ', a[k], k, k));
        }
        Middle(a, b, prefix, a.Length - suffix, prefix, b.Length - suffix, edits);
        for (var k = 0; k < suffix; k++)
        {
            int ai = a.Length - suffix + k, bi = b.Length - suffix + k;
            edits.Add(new Edit(' ', a[ai], ai, bi));
        }
        return edits;
    }

    // Longest common subsequence over the lines that differ; the common prefix and suffix are already cut off.
    private static void Middle(string[] a, string[] b, int a0, int a1, int b0, int b1, List<Edit> edits)
    {
        int n = a1 - a0, m = b1 - b0;
        if (n > MaxLcsLines || m > MaxLcsLines)
        {
            for (var k = a0; k < a1; k++)
            {
                edits.Add(new Edit('-', a[k], k, b0));
            }
            for (var k = b0; k < b1; k++)
            {
                edits.Add(new Edit('+', b[k], a1, k));
            }
            return;
        }
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = a[a0 + i] == b[b0 + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[a0 + x] == b[b0 + y])
            {
                edits.Add(new Edit(' ', a[a0 + x], a0 + x, b0 + y));
                x++;
                y++;
            }
            else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                edits.Add(new Edit('-', a[a0 + x], a0 + x, b0 + y));
                x++;
            }
            else
            {
                edits.Add(new Edit('+', b[b0 + y], a0 + x, b0 + y));
                y++;
            }
        }
    }
}
