namespace Ferry.Cli.Client;

/// <summary>Where verbs that ask (set-pipeline, destroy-pipeline) read the answer; tests give their own reader.</summary>
internal static class CliInput
{
    private static readonly AsyncLocal<TextReader?> Reader = new();

    public static TextReader Current
    {
        get => Reader.Value ?? Console.In;
        set => Reader.Value = value;
    }

    /// <summary>
    /// Asks a yes/no question; true only for y or yes. Without <c>--yes</c> and with nothing to read the answer from
    /// (standard input closed or empty) it refuses with a usage error instead of guessing.
    /// </summary>
    public static async Task<bool> ConfirmAsync(TextWriter output, string question)
    {
        await output.WriteAsync($"{question} [y/N]: ");
        await output.FlushAsync();
        var answer = await Current.ReadLineAsync();
        if (answer is null)
        {
            await output.WriteLineAsync();
            throw new UsageException("there is no terminal to ask on (standard input is closed); pass --yes to go ahead without asking");
        }
        if (Reader.Value is not null || Console.IsInputRedirected)
        {
            // A typed answer ends its own line; a piped one does not.
            await output.WriteLineAsync();
        }
        return answer.Trim().ToLowerInvariant() is "y" or "yes";
    }

    /// <summary>
    /// Reads a secret (a token): from a terminal without echoing it, else the first line of standard input. Null when
    /// there is nothing to read.
    /// </summary>
    public static async Task<string?> ReadSecretAsync(TextWriter output, string prompt)
    {
        if (Reader.Value is not null || Console.IsInputRedirected)
        {
            return (await Current.ReadLineAsync())?.Trim();
        }
        await output.WriteAsync(prompt);
        await output.FlushAsync();
        var secret = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                secret.Length = Math.Max(0, secret.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                secret.Append(key.KeyChar);
            }
        }
        await output.WriteLineAsync();
        return secret.ToString().Trim();
    }
}
