namespace Ferry.Cli.Client;

/// <summary>
/// The API token client verbs send: FERRY_TOKEN, unless a caller in this process gave its own (tests running at once
/// share the process's environment variables, so they give theirs here).
/// </summary>
internal static class CliToken
{
    private static readonly AsyncLocal<Given?> Override = new();

    public static string? Current => Override.Value is { } given ? given.Token : Environment.GetEnvironmentVariable("FERRY_TOKEN");

    /// <summary>Sends <paramref name="token"/> (none when null) from here on, in this async flow only.</summary>
    public static void Use(string? token) => Override.Value = new Given(token);

    private sealed record Given(string? Token);
}
