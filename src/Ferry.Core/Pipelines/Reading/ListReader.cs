using Ferry.Core.Validation;
using Ferry.Core.Yaml;

namespace Ferry.Core.Pipelines.Reading;

internal static class ListReader
{
    /// <summary>Reads a list whose items are mappings; reports a non-list or a non-mapping item.</summary>
    public static List<T> Mappings<T>(YamlNode? node, string path, DiagnosticBag diagnostics, Func<YamlMapping, int, T?> read)
        where T : class
    {
        var result = new List<T>();
        switch (node)
        {
            case null or YamlScalar { IsNull: true }:
                return result;
            case YamlSequence sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (sequence.Items[i] is YamlMapping map)
                    {
                        if (read(map, i) is { } item)
                        {
                            result.Add(item);
                        }
                    }
                    else
                    {
                        diagnostics.Error(sequence.Items[i].Location, $"{path}[{i}]", $"must be a mapping, not a {sequence.Items[i].Describe()}");
                    }
                }
                return result;
            default:
                diagnostics.Error(node.Location, path, $"must be a list, not a {node.Describe()}");
                return result;
        }
    }

    /// <summary><c>name</c> when the item has one (<c>jobs.deploy</c>), else its position (<c>jobs[3]</c>).</summary>
    public static string ItemPath(string list, YamlMapping map, int index) =>
        map["name"] is YamlScalar { IsNull: false } name && name.Value.Length > 0 ? $"{list}.{name.Value}" : $"{list}[{index}]";
}
