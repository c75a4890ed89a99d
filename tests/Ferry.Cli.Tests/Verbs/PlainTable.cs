namespace Ferry.Cli.Tests.Verbs;

/// <summary>
/// Reads a list verb's plain table as a script would: the header line says where each column starts, and every row
/// is cut at those places. A row whose cell spills into the next column reads wrong, so this checks alignment too.
/// </summary>
internal static class PlainTable
{
    public static List<Dictionary<string, string>> Parse(string text)
    {
        var lines = text.Split('\n').Where(l => l.Length > 0).ToList();
        lines.ShouldNotBeEmpty("a table has a header line");
        var header = lines[0];
        header.ShouldBe(header.ToUpperInvariant(), "the first line is the header, in capitals");
        var starts = new List<int>();
        for (var i = 0; i < header.Length; i++)
        {
            if (header[i] != ' ' && (i == 0 || (i >= 2 && header[i - 1] == ' ' && header[i - 2] == ' ')))
                starts.Add(i);
        }
        var names = starts.Select((s, i) => header[s..(i + 1 < starts.Count ? starts[i + 1] : header.Length)].Trim()).ToList();
        var rows = new List<Dictionary<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            line.ShouldBe(line.TrimEnd(), "no trailing spaces");
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < starts.Count; i++)
            {
                var from = Math.Min(starts[i], line.Length);
                var to = i + 1 < starts.Count ? Math.Min(starts[i + 1], line.Length) : line.Length;
                if (i + 1 < starts.Count && to < line.Length)
                    line[to - 1].ShouldBe(' ', $"column {names[i]} ends before column {names[i + 1]} in: {line}");
                row[names[i]] = line[from..to].Trim();
            }
            rows.Add(row);
        }
        return rows;
    }
}
