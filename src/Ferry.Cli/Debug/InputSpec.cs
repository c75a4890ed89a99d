using Ferry.Core.Resolving;

namespace Ferry.Cli.Debug;

/// <summary>
/// One <c>--input NAME[=RESOURCE][:JOB1,JOB2…][@every|@pin=VERSIONNAME]</c>. Without <c>=RESOURCE</c> the input reads
/// the resource of the same name, as a Concourse <c>get</c> step without <c>resource:</c> does.
/// </summary>
internal sealed record InputSpec(string Name, string Resource, IReadOnlyList<string> Passed, VersionMode Mode, string? PinnedVersionName)
{
    /// <exception cref="FormatException">The text does not follow the syntax; the message says which part.</exception>
    public static InputSpec Parse(string text)
    {
        var rest = text.Trim();
        var mode = VersionMode.Latest;
        string? pin = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var modifier = rest[(at + 1)..];
            rest = rest[..at];
            if (modifier == "every")
            {
                mode = VersionMode.Every;
            }
            else if (modifier.StartsWith("pin=", StringComparison.Ordinal) && modifier.Length > 4)
            {
                mode = VersionMode.Pinned;
                pin = modifier[4..];
            }
            else
            {
                throw new FormatException($"--input '{text}': '@{modifier}' is neither '@every' nor '@pin=VERSIONNAME'");
            }
        }
        string[] passed = [];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            passed = rest[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries);
            rest = rest[..colon];
            if (passed.Any(p => p.Length == 0))
            {
                throw new FormatException($"--input '{text}': empty job name in the passed list after ':'");
            }
        }
        var eq = rest.IndexOf('=', StringComparison.Ordinal);
        var name = (eq >= 0 ? rest[..eq] : rest).Trim();
        var resource = eq >= 0 ? rest[(eq + 1)..].Trim() : name;
        if (name.Length == 0)
        {
            throw new FormatException($"--input '{text}': the input name before '=' is missing");
        }
        if (resource.Length == 0)
        {
            throw new FormatException($"--input '{text}': the resource after '=' is empty (leave out '=' to use the input name)");
        }
        return new InputSpec(name, resource, passed, mode, pin);
    }
}
