namespace Ferry.Cli.Client;

/// <summary>
/// The API token client verbs send: FERRY_TOKEN, else the one <c>ferry login</c> saved for the server's URL
/// (<see cref="Targets"/>), unless a caller in this process gave its own (tests running at once share the process's
/// environment variables, so they give theirs here).
/// </summary>
internal static class CliToken
{
    private static readonly AsyncLocal<Given?> Override = new();

    /// <summary>The token to send to <paramref name="url"/>; null sends none.</summary>
    public static string? For(Uri url)
    {
        if (Override.Value is { } given)
        {
            return given.Token;
        }
        var variable = Environment.GetEnvironmentVariable("FERRY_TOKEN");
        return string.IsNullOrWhiteSpace(variable) ? Targets.TokenFor(url) : variable.Trim();
    }

    /// <summary>Whether a caller in this async flow gave the token (<see cref="Use"/>).</summary>
    public static bool IsGiven => Override.Value is not null;

    /// <summary>Sends <paramref name="token"/> (none when null) from here on, in this async flow only.</summary>
    public static void Use(string? token) => Override.Value = new Given(token);

    private sealed record Given(string? Token);
}
