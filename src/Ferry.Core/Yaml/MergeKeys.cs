namespace Ferry.Core.Yaml;

/// <summary>YAML merge keys (<c>&lt;&lt;: *base</c> or <c>&lt;&lt;: [*a, *b]</c>): explicit keys win, then earlier maps.</summary>
internal static class MergeKeys
{
    public static List<KeyValuePair<YamlScalar, YamlNode>> Apply(List<KeyValuePair<YamlScalar, YamlNode>> entries)
    {
        if (!entries.Exists(IsMerge))
        {
            return entries;
        }
        var explicitKeys = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<KeyValuePair<YamlScalar, YamlNode>>();
        foreach (var entry in entries)
        {
            if (!IsMerge(entry))
            {
                explicitKeys.Add(entry.Key.Value);
                result.Add(entry);
            }
        }
        var merged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(IsMerge))
        {
            var sources = entry.Value switch
            {
                YamlMapping map => [map],
                YamlSequence seq => seq.Items.Select(item => item as YamlMapping
                    ?? throw new YamlLoadException(item.Location, "a merge key (<<) list may only hold mappings")).ToList(),
                _ => throw new YamlLoadException(entry.Value.Location,
                    $"a merge key (<<) needs a mapping or a list of mappings, not a {entry.Value.Describe()}"),
            };
            foreach (var source in sources)
            {
                foreach (var inherited in source.Entries)
                {
                    if (!explicitKeys.Contains(inherited.Key.Value) && merged.Add(inherited.Key.Value))
                    {
                        result.Add(inherited);
                    }
                }
            }
        }
        return result;
    }

    private static bool IsMerge(KeyValuePair<YamlScalar, YamlNode> entry) =>
        entry.Key.Value == "<<" && entry.Key.Style == YamlScalarStyle.Plain;
}
