using Ferry.Core.Validation;
using Ferry.Core.Yaml;

namespace Ferry.Core.Pipelines.Reading;

/// <summary>
/// Recognises a Carvel ytt template (<c>#@ load(...)</c>, <c>#@ def</c>, <c>#@overlay/match</c> …). To YAML those
/// lines are comments, so the template would load as a pipeline full of holes and give dozens of step errors that all
/// have one cause; the loader gives that cause instead.
/// </summary>
internal static class YttTemplate
{
    private const int ShownLength = 80;

    /// <summary>The error for the first ytt line of <paramref name="text"/>, or null when it has none.</summary>
    public static Diagnostic? Check(string text, string fileName)
    {
        var line = 1;
        var start = 0;
        while (start <= text.Length)
        {
            var end = text.IndexOf('\n', start);
            var content = text.AsSpan(start, (end < 0 ? text.Length : end) - start).TrimEnd('\r');
            var indent = content.Length - content.TrimStart().Length;
            if (IsAnnotation(content[indent..]))
            {
                var shown = content[indent..].ToString();
                shown = shown.Length > ShownLength ? shown[..ShownLength] + "…" : shown;
                return new Diagnostic(DiagnosticSeverity.Error, new SourceLocation(fileName, line, indent + 1), "",
                    $"this is a ytt template ('{shown}'), not a pipeline: render it with ytt first " +
                    $"(ytt -f {fileName} [-f values.yml] > pipeline.yml) and set the rendered file");
            }
            if (end < 0)
                break;
            start = end + 1;
            line++;
        }
        return null;
    }

    // "#@ expr", "#@" alone or "#@overlay/match …"; a comment that merely starts with "#@" text is not one.
    private static bool IsAnnotation(ReadOnlySpan<char> line)
    {
        if (!line.StartsWith("#@"))
            return false;
        var rest = line[2..];
        if (rest.IsEmpty || char.IsWhiteSpace(rest[0]))
            return true;
        var name = 0;
        while (name < rest.Length && (char.IsAsciiLetterLower(rest[name]) || rest[name] == '_'))
            name++;
        return name > 0 && name < rest.Length && rest[name] == '/';
    }
}
