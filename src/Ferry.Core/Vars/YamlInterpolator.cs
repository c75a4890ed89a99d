using System.Globalization;
using System.Text;
using Ferry.Core.Yaml;

namespace Ferry.Core.Vars;

/// <summary>A problem met while filling in placeholders, at the place of the placeholder.</summary>
public sealed record InterpolationError(SourceLocation Location, string Message);

/// <summary>Fills static vars into a loaded document; vars not given stay as placeholders for run time.</summary>
internal sealed class YamlInterpolator(StaticVars vars)
{
    private readonly Dictionary<YamlNode, YamlNode> _done = new(ReferenceEqualityComparer.Instance);

    public List<InterpolationError> Errors { get; } = [];

    public SortedSet<string> Used { get; } = new(StringComparer.Ordinal);

    public YamlNode? Interpolate(YamlNode? root) => root is null ? null : Visit(root);

    private YamlNode Visit(YamlNode node)
    {
        if (_done.TryGetValue(node, out var known))
        {
            return known;
        }
        var result = node switch
        {
            YamlScalar scalar => Scalar(scalar),
            YamlSequence sequence => Sequence(sequence),
            YamlMapping mapping => Mapping(mapping),
            _ => node,
        };
        _done[node] = result;
        return result;
    }

    private YamlSequence Sequence(YamlSequence sequence)
    {
        List<YamlNode>? items = null;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = Visit(sequence.Items[i]);
            if (!ReferenceEquals(item, sequence.Items[i]) && items is null)
            {
                items = sequence.Items.Take(i).ToList();
            }
            items?.Add(item);
        }
        return items is null ? sequence : new YamlSequence(sequence.Location, items) { ExpandedSize = sequence.ExpandedSize };
    }

    private YamlMapping Mapping(YamlMapping mapping)
    {
        List<KeyValuePair<YamlScalar, YamlNode>>? entries = null;
        for (var i = 0; i < mapping.Entries.Count; i++)
        {
            var entry = mapping.Entries[i];
            var value = Visit(entry.Value);
            if (!ReferenceEquals(value, entry.Value) && entries is null)
            {
                entries = mapping.Entries.Take(i).ToList();
            }
            entries?.Add(new(entry.Key, value));
        }
        return entries is null ? mapping : new YamlMapping(mapping.Location, entries) { ExpandedSize = mapping.ExpandedSize };
    }

    private YamlNode Scalar(YamlScalar scalar)
    {
        if (scalar.Kind != YamlScalarKind.String)
        {
            return scalar;
        }
        var found = Placeholders.Find(scalar.Value);
        if (found.Count == 0)
        {
            return scalar;
        }
        if (found.Count == 1 && found[0].Start == 0 && found[0].Length == scalar.Value.Length)
        {
            return vars.TryResolve(found[0].Reference, out var whole) && Use(found[0]) ? whole : scalar;
        }
        var text = new StringBuilder();
        var position = 0;
        var changed = false;
        foreach (var placeholder in found)
        {
            text.Append(scalar.Value, position, placeholder.Start - position);
            position = placeholder.Start + placeholder.Length;
            if (!vars.TryResolve(placeholder.Reference, out var value))
            {
                text.Append(scalar.Value, placeholder.Start, placeholder.Length);
                continue;
            }
            Use(placeholder);
            if (value is not YamlScalar { Kind: YamlScalarKind.String or YamlScalarKind.Integer or YamlScalarKind.Float } part)
            {
                Errors.Add(new InterpolationError(scalar.Location,
                    $"var '{placeholder.Reference}' is a {value.Describe()}; only a string or a number can be embedded in a string"));
                text.Append(scalar.Value, placeholder.Start, placeholder.Length);
                continue;
            }
            text.Append(part.Value);
            changed = true;
        }
        text.Append(scalar.Value, position, scalar.Value.Length - position);
        return changed
            ? new YamlScalar(scalar.Location, text.ToString(), YamlScalarStyle.DoubleQuoted)
            : scalar;
    }

    private bool Use(Placeholder placeholder)
    {
        Used.Add(placeholder.Reference.Name.ToString(CultureInfo.InvariantCulture));
        return true;
    }
}
