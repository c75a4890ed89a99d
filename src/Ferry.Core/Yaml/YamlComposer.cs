using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Ferry.Core.Yaml;

/// <summary>Turns parser events into located nodes without recursion, so nesting cannot overflow the stack.</summary>
internal sealed class YamlComposer(string fileName, YamlLimits limits)
{
    private readonly Dictionary<string, YamlNode> _anchors = new(StringComparer.Ordinal);
    private readonly Stack<Frame> _stack = new();
    private readonly List<YamlWarning> _warnings = [];
    private long _expanded;

    public YamlDocument Compose(IParser parser)
    {
        var last = new SourceLocation(fileName, 1, 1);
        try
        {
            YamlNode? root = null;
            var seenDocument = false;
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                last = At(current.Start);
                switch (current)
                {
                    case DocumentStart when seenDocument:
                        // Like go-yaml's Unmarshal, only the first document counts.
                        return new YamlDocument(fileName, root, _warnings);
                    case DocumentStart:
                        seenDocument = true;
                        break;
                    case Scalar scalar:
                        Add(ref root, Scalar(scalar), scalar.Anchor, last);
                        break;
                    case AnchorAlias alias:
                        Add(ref root, Alias(alias, last), AnchorName.Empty, last);
                        break;
                    case MappingStart start:
                        Push(new Frame(last, start.Anchor, IsMapping: true));
                        break;
                    case SequenceStart start:
                        Push(new Frame(last, start.Anchor, IsMapping: false));
                        break;
                    case MappingEnd or SequenceEnd:
                        var frame = _stack.Pop();
                        Add(ref root, frame.IsMapping ? EndMapping(frame) : EndSequence(frame), frame.Anchor, frame.Location);
                        break;
                }
            }
            return new YamlDocument(fileName, root, _warnings);
        }
        catch (YamlException e)
        {
            throw new YamlLoadException(At(e.Start), Clean(e.Message));
        }
        catch (Exception e) when (e is not YamlLoadException and not OutOfMemoryException)
        {
            // The parser can fail in ways it does not describe; still say where reading stopped.
            throw new YamlLoadException(last, $"cannot read YAML: {e.Message}");
        }
    }

    private void Push(Frame frame)
    {
        if (_stack.Count >= limits.MaxDepth)
        {
            throw new YamlLoadException(frame.Location, $"nesting deeper than {limits.MaxDepth} levels");
        }
        Count(1, frame.Location);
        _stack.Push(frame);
    }

    private void Add(ref YamlNode? root, YamlNode node, AnchorName anchor, SourceLocation at)
    {
        if (!anchor.IsEmpty)
        {
            // A later anchor of the same name replaces the earlier one (real pipelines rely on it).
            _anchors[anchor.Value] = node;
        }
        if (_stack.Count == 0)
        {
            root = node;
            return;
        }
        var parent = _stack.Peek();
        parent.Size += node.ExpandedSize;
        if (!parent.IsMapping)
        {
            parent.Items.Add(node);
        }
        else if (parent.PendingKey is null)
        {
            parent.PendingKey = node as YamlScalar
                ?? throw new YamlLoadException(at, $"a mapping key must be a scalar, not a {node.Describe()}");
        }
        else
        {
            parent.Entries.Add(new(parent.PendingKey, node));
            parent.PendingKey = null;
        }
    }

    private YamlScalar Scalar(Scalar scalar)
    {
        var location = At(scalar.Start);
        Count(1, location);
        var style = scalar.Style switch
        {
            ScalarStyle.SingleQuoted => YamlScalarStyle.SingleQuoted,
            ScalarStyle.DoubleQuoted => YamlScalarStyle.DoubleQuoted,
            ScalarStyle.Literal => YamlScalarStyle.Literal,
            ScalarStyle.Folded => YamlScalarStyle.Folded,
            _ => YamlScalarStyle.Plain,
        };
        var tag = scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific ? null : scalar.Tag.Value;
        return new YamlScalar(location, scalar.Value, style, tag);
    }

    private YamlNode Alias(AnchorAlias alias, SourceLocation at)
    {
        if (!_anchors.TryGetValue(alias.Value.Value, out var node))
        {
            throw new YamlLoadException(at, $"unknown anchor '{alias.Value.Value}' referenced");
        }
        Count(node.ExpandedSize, at);
        return node;
    }

    private void Count(long nodes, SourceLocation at)
    {
        _expanded += nodes;
        if (_expanded > limits.MaxExpandedNodes)
        {
            throw new YamlLoadException(at,
                string.Create(CultureInfo.InvariantCulture, $"document expands to more than {limits.MaxExpandedNodes:N0} nodes (too many aliases: an alias expansion bomb?)"));
        }
    }

    private static YamlSequence EndSequence(Frame frame) =>
        new(frame.Location, frame.Items) { ExpandedSize = frame.Size };

    private YamlMapping EndMapping(Frame frame)
    {
        var entries = MergeKeys.Apply(frame.Entries);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<KeyValuePair<YamlScalar, YamlNode>>(entries.Count);
        foreach (var entry in entries)
        {
            if (seen.TryGetValue(entry.Key.Value, out var earlier))
            {
                _warnings.Add(new YamlWarning(entry.Key.Location,
                    $"key '{entry.Key.Value}' repeated (first at line {result[earlier].Key.Location.Line}); the later value wins"));
                result[earlier] = entry;
                continue;
            }
            seen[entry.Key.Value] = result.Count;
            result.Add(entry);
        }
        return new YamlMapping(frame.Location, result) { ExpandedSize = frame.Size };
    }

    private SourceLocation At(Mark mark) => new(fileName, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column));

    private static string Clean(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 1, Idx: 20) - (Line ...): "; the location is ours to print.
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith('(') ? message[(cut + 3)..] : message;
    }

    private sealed class Frame(SourceLocation location, AnchorName anchor, bool IsMapping)
    {
        public SourceLocation Location { get; } = location;
        public AnchorName Anchor { get; } = anchor;
        public bool IsMapping { get; } = IsMapping;
        public long Size { get; set; } = 1;
        public List<YamlNode> Items { get; } = [];
        public List<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = [];
        public YamlScalar? PendingKey { get; set; }
    }
}
