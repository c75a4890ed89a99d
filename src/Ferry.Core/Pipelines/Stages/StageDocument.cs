using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Ferry.Core.Pipelines.Stages;

/// <summary>One entry of <c>environments:</c> as the stage edits see it.</summary>
/// <param name="InstanceResource">The resource named by <c>instance: R</c>: set on the stage releases come from.</param>
internal sealed record StageEntry(string Name, IReadOnlyList<string> From, string? InstanceResource, YamlMappingNode Node);

/// <summary>
/// A pipeline's YAML text, edited in place: YamlDotNet's representation model says where each environment, its
/// <c>from:</c> and each resource stand (character offsets), and an edit splices only those characters. Everything
/// else, comments included, stays as it was written; the diff shows only the environments involved. Each edit gives
/// a new document, parsed again, so offsets never go stale.
/// </summary>
internal sealed partial class StageDocument
{
    private readonly string _text;
    private readonly YamlMappingNode _root;

    private StageDocument(string text, YamlMappingNode root)
    {
        _text = text;
        _root = root;
        Stages = Read();
    }

    public string Text => _text;

    /// <summary>The environments in document order.</summary>
    public IReadOnlyList<StageEntry> Stages { get; }

    public static StageDocument Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new StageEditException(StageRefusal.Conflict, "config", $"the pipeline's YAML does not parse ({e.Start}: {e.Message})");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode { Style: not MappingStyle.Flow } root)
            throw new StageEditException(StageRefusal.Conflict, "config", "the pipeline's YAML must be one document whose top level is a block mapping for stages to be edited");
        return new StageDocument(text, root);
    }

    public StageEntry? Find(string name) => Stages.FirstOrDefault(s => s.Name == name);

    public bool HasResource(string name) =>
        Items("resources").OfType<YamlMappingNode>().Any(r => Scalar(r, "name") == name);

    /// <summary>Whether anything but its own entry and <paramref name="stage"/>'s names the resource (a job's get, another stage).</summary>
    public bool ResourceUsedOutside(string resource, StageEntry stage)
    {
        var own = Items("resources").OfType<YamlMappingNode>().Where(r => Scalar(r, "name") == resource);
        var skip = own.Append(stage.Node).SelectMany(n => n.AllNodes).ToHashSet(ReferenceEqualityComparer.Instance);
        return _root.AllNodes.Any(n => !skip.Contains(n) && n is YamlScalarNode { Value: { } v } && v == resource);
    }

    /// <summary>Gives <paramref name="stage"/> the <c>from:</c> list <paramref name="from"/>, written as a flow list.</summary>
    public StageDocument SetFrom(string stage, IReadOnlyList<string> from)
    {
        var node = Require(stage).Node;
        var list = FlowList(from);
        var entry = node.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "from" });
        if (entry.Key is null)
        {
            // No from yet: a line right after the name's.
            var name = node.Children.First(c => c.Key is YamlScalarNode { Value: "name" });
            var at = EndOfLine(ContentEnd(name.Value));
            return Splice(at, at, new string(' ', KeyColumn(node)) + "from: " + list + "\n");
        }
        return entry.Value is YamlSequenceNode { Style: not SequenceStyle.Flow } block
            ? Splice(Offset(entry.Key.End), ContentEnd(block), ": " + list)
            : Splice(Offset(entry.Value.Start), ContentEnd(entry.Value), list);
    }

    /// <summary>The lines of <paramref name="stage"/>'s entry, its dash at column 0.</summary>
    public string EntryText(string stage)
    {
        var (start, end, column) = Span(Require(stage).Node);
        return Indent(_text[start..end], -column);
    }

    public StageDocument Remove(string stage)
    {
        var (start, end, _) = Span(Require(stage).Node);
        return Splice(start, end, "");
    }

    public StageDocument RemoveResource(string name)
    {
        var resource = Items("resources").OfType<YamlMappingNode>().First(r => Scalar(r, "name") == name);
        var (start, end, _) = Span(resource);
        return Splice(start, end, "");
    }

    /// <summary>Inserts an entry (its dash at column 0) into <c>environments:</c> right after <paramref name="after"/>, or at the end when null.</summary>
    public StageDocument InsertAfter(string? after, string entry) =>
        after is null ? Append("environments", entry) : InsertAt(Span(Require(after).Node).End, Require(after).Node, entry);

    public StageDocument InsertBefore(string before, string entry)
    {
        var node = Require(before).Node;
        return InsertAt(Span(node).Start, node, entry);
    }

    public StageDocument AddResource(string entry) => Append("resources", entry);

    private StageDocument InsertAt(int at, YamlNode sibling, string entry)
    {
        var prefix = at == _text.Length && _text.Length > 0 && _text[^1] != '\n' ? "\n" : "";
        return Splice(at, at, prefix + Indent(entry, Span(sibling).Column));
    }

    /// <summary>At the end of the top-level sequence <paramref name="key"/>, which is made when there is none.</summary>
    private StageDocument Append(string key, string entry)
    {
        var pair = _root.Children.FirstOrDefault(c => c.Key is YamlScalarNode s && s.Value == key);
        switch (pair.Value)
        {
            case null:
                var prefix = _text.Length > 0 && _text[^1] != '\n' ? "\n" : "";
                return Splice(_text.Length, _text.Length, prefix + key + ":\n" + Indent(entry, 2));
            case YamlSequenceNode { Children.Count: > 0, Style: not SequenceStyle.Flow } items:
                return InsertAt(Span(items.Children[^1]).End, items.Children[^1], entry);
            case YamlSequenceNode { Children.Count: 0 }:
            case YamlScalarNode { Value: null or "" or "~" or "null" }:
                return Splice(Offset(pair.Key.End), ContentEnd(pair.Value), ":\n" + Indent(entry, 2).TrimEnd('\n'));
            default:
                throw new StageEditException(StageRefusal.Conflict, key,
                    $"{key}: written in flow style ({key}: [...]); stages can be edited only in a block list (one '- ' entry per line)");
        }
    }

    private IReadOnlyList<StageEntry> Read()
    {
        var stages = new List<StageEntry>();
        foreach (var item in Items("environments"))
        {
            if (item is not YamlMappingNode map || Scalar(map, "name") is not { Length: > 0 } name)
                throw new StageEditException(StageRefusal.Conflict, "environments",
                    $"environments: the entry at line {item.Start.Line} is not a mapping with a name");
            var from = Value(map, "from") switch
            {
                YamlScalarNode { Value: { Length: > 0 } one } => [one],
                YamlSequenceNode list => list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList(),
                _ => (IReadOnlyList<string>)[],
            };
            stages.Add(new StageEntry(name, from, Scalar(map, "instance"), map));
        }
        return stages;
    }

    private IEnumerable<YamlNode> Items(string key) => Value(_root, key) switch
    {
        YamlSequenceNode { Style: SequenceStyle.Flow, Children.Count: > 0 } => throw new StageEditException(StageRefusal.Conflict, key,
            $"{key}: written in flow style ({key}: [...]); stages can be edited only in a block list (one '- ' entry per line)"),
        YamlSequenceNode list => list.Children,
        _ => [],
    };

    private StageEntry Require(string name) =>
        Find(name) ?? throw new StageEditException(StageRefusal.NotFound, "stage", $"no stage named '{name}'");

    private static YamlNode? Value(YamlMappingNode map, string key) =>
        map.Children.FirstOrDefault(c => c.Key is YamlScalarNode s && s.Value == key).Value;

    private static string? Scalar(YamlMappingNode map, string key) => (Value(map, key) as YamlScalarNode)?.Value;

    private StageDocument Splice(int start, int end, string replacement) =>
        Parse(string.Concat(_text.AsSpan(0, start), replacement, _text.AsSpan(end)));

    /// <summary>
    /// A sequence entry's lines: from the line of its dash to the end of the line of its last character. Block
    /// collections' end marks point at the next token (past comments and blank lines), so the end is the furthest
    /// end of a scalar or flow collection inside.
    /// </summary>
    private (int Start, int End, int Column) Span(YamlNode item)
    {
        var dash = Offset(item.Start) - 1;
        while (dash >= 0 && _text[dash] is ' ' or '\t' or '\n' or '\r')
            dash--;
        if (dash < 0 || _text[dash] != '-')
            throw new StageEditException(StageRefusal.Conflict, "environments", $"the list entry at line {item.Start.Line} is not written as '- ...'");
        var start = LineStart(dash);
        return (start, EndOfLine(ContentEnd(item)), dash - start);
    }

    private int ContentEnd(YamlNode node) => node switch
    {
        YamlMappingNode { Style: not MappingStyle.Flow } map => map.Children.Count == 0 ? Offset(map.Start)
            : map.Children.Max(c => Math.Max(ContentEnd(c.Key), ContentEnd(c.Value))),
        YamlSequenceNode { Style: not SequenceStyle.Flow } list => list.Children.Count == 0 ? Offset(list.Start) : list.Children.Max(ContentEnd),
        YamlMappingNode map => FlowEnd(map, map.Children.Select(c => c.Value).ToList()),
        YamlSequenceNode list => FlowEnd(list, list.Children),
        _ => Offset(node.End),
    };

    /// <summary>
    /// After the closing bracket of a flow collection. YamlDotNet gives a collection node the marks of its start event
    /// only, so the end is found from its last child: past commas, blanks and comments to the bracket.
    /// </summary>
    private int FlowEnd(YamlNode node, IList<YamlNode> children)
    {
        var at = children.Count == 0 ? Offset(node.Start) + 1 : children.Max(ContentEnd);
        while (at < _text.Length && _text[at] is not (']' or '}'))
            at = _text[at] == '#' ? EndOfLine(at) : at + 1;
        return Math.Min(at + 1, _text.Length);
    }

    private int KeyColumn(YamlMappingNode map) => Offset(map.Start) - LineStart(Offset(map.Start));

    private int LineStart(int at) => at <= 0 ? 0 : _text.LastIndexOf('\n', at - 1) + 1;

    private int EndOfLine(int contentEnd)
    {
        if (contentEnd > 0 && _text[contentEnd - 1] == '\n')
            return contentEnd;
        var newline = _text.IndexOf('\n', contentEnd);
        return newline < 0 ? _text.Length : newline + 1;
    }

    private static int Offset(Mark mark) => checked((int)mark.Index);

    /// <summary>Moves every non-empty line by <paramref name="by"/> columns (negative: left, never past column 0).</summary>
    internal static string Indent(string text, int by)
    {
        var lines = text.Split('\n');
        var result = new StringBuilder();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().Length > 0)
                line = by >= 0 ? new string(' ', by) + line : line[Math.Min(-by, line.Length - line.TrimStart(' ').Length)..];
            result.Append(line);
            if (i < lines.Length - 1)
                result.Append('\n');
        }
        return result.ToString();
    }

    internal static string FlowList(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Plain)) + "]";

    /// <summary>A scalar as written into the YAML: plain when it is safely plain, else a JSON string (valid double-quoted YAML).</summary>
    internal static string Plain(string value) =>
        SafePlain().IsMatch(value) && value is not ("true" or "false" or "null" or "yes" or "no" or "on" or "off" or "~")
            ? value
            : JsonSerializer.Serialize(value);

    [GeneratedRegex(@"^[A-Za-z0-9(][A-Za-z0-9_.\-/:()@%+=?&~]*$")]
    private static partial Regex SafePlain();
}
