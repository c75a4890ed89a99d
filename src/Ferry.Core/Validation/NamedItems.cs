using Ferry.Core.Pipelines;

namespace Ferry.Core.Validation;

internal static class NamedItems
{
    /// <summary>Concourse's "has no name" and "have the same name" checks, plus the identifier warning.</summary>
    public static void Check<T>(IReadOnlyList<T> items, string list, Func<T, string> name, DiagnosticBag diagnostics)
        where T : ConfigNode
    {
        var first = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var itemName = name(item);
            if (itemName.Length == 0)
            {
                diagnostics.Error(item.Location, $"{list}[{i}]", "has no name");
                continue;
            }
            Identifiers.Check(itemName, item.Path, item.LocationOf("name"), diagnostics);
            if (first.TryGetValue(itemName, out var other))
            {
                diagnostics.Error(item.LocationOf("name"), item.Path, $"{list}[{other}] and {list}[{i}] have the same name ('{itemName}')");
            }
            else
            {
                first[itemName] = i;
            }
        }
    }
}
