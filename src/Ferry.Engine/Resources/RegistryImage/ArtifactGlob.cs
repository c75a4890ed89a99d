using System.Text.RegularExpressions;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// A put's path into the build's artifacts, with Go's <c>filepath.Glob</c> wildcards (<c>*</c>, <c>?</c>, <c>[…]</c>) in
/// any component, as Concourse's type expands <c>params.image</c>: it must name exactly one file or directory.
/// </summary>
internal static class ArtifactGlob
{
    public static string Single(string root, string pattern, string field)
    {
        var matches = Expand(root, pattern);
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ResourceConfigException($"{field}: nothing in the build's artifacts matches '{pattern}'"),
            _ => throw new ResourceConfigException($"{field}: '{pattern}' matches {matches.Count} paths, it must match one: {string.Join(", ", matches.Select(m => Path.GetRelativePath(root, m)))}"),
        };
    }

    public static List<string> Expand(string root, string pattern)
    {
        var current = new List<string> { Path.GetFullPath(root) };
        foreach (var part in pattern.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
                return [];
            if (part == ".")
                continue;
            var next = new List<string>();
            foreach (var directory in current.Where(Directory.Exists))
            {
                if (part.IndexOfAny(['*', '?', '[']) < 0)
                {
                    var path = Path.Combine(directory, part);
                    if (File.Exists(path) || Directory.Exists(path))
                        next.Add(path);
                    continue;
                }
                var regex = ToRegex(part);
                next.AddRange(Directory.EnumerateFileSystemEntries(directory).Where(e => regex.IsMatch(Path.GetFileName(e))).Order(StringComparer.Ordinal));
            }
            current = next;
        }
        return current;
    }

    private static Regex ToRegex(string glob)
    {
        var pattern = new System.Text.StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*':
                    pattern.Append("[^/]*");
                    break;
                case '?':
                    pattern.Append("[^/]");
                    break;
                case '[':
                    var end = glob.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        pattern.Append(@"\[");
                        break;
                    }
                    var set = glob[(i + 1)..end];
                    pattern.Append('[').Append(set.StartsWith('^') ? "^" + Regex.Escape(set[1..]) : Regex.Escape(set)).Append(']');
                    i = end;
                    break;
                default:
                    pattern.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
