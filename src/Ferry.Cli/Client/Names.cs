namespace Ferry.Cli.Client;

/// <summary>Reads the <c>PIPELINE/NAME</c> form of <c>-j</c> and <c>-r</c>.</summary>
internal static class Names
{
    public static (string Pipeline, string Name) Split(string text, string option, string what)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            throw new UsageException($"{option} '{text}' must be PIPELINE/{what.ToUpperInvariant()}");
        }
        return (text[..slash], text[(slash + 1)..]);
    }

    /// <summary><c>/api/v1/pipelines/p/jobs/j</c> with each name escaped.</summary>
    public static string Path(params string[] segments) =>
        "api/v1/" + string.Join('/', segments.Select((s, i) => i % 2 == 1 ? FerryClient.Escape(s) : s));
}
