using System.CommandLine;
using Ferry.Cli.Client;

namespace Ferry.Cli.Users;

/// <summary>
/// <c>ferry login [--url URL] [--token T | --token-file F]</c> (else the token from standard input): checks the token
/// against the server and saves it for that URL (<see cref="Targets"/>), so later verbs need neither FERRY_URL nor
/// FERRY_TOKEN. <c>ferry logout</c> forgets it.
/// </summary>
internal static class LoginCommand
{
    public static Command Login()
    {
        var url = new Option<string?>("--url") { Description = $"The Ferry server (default: FERRY_URL, else the one logged in to last, else {FerryClient.DefaultUrl})" };
        var token = new Option<string?>("--token") { Description = "The API token (visible in the shell's history and the process list: prefer --token-file or standard input)" };
        var tokenFile = new Option<FileInfo?>("--token-file") { Description = "A file holding the API token, such as the server's .ferry/admin-token" };
        var command = new Command("login", "Sign in to a Ferry server: check an API token and save it for that server's URL") { url, token, tokenFile };
        command.SetAction(async (parse, cancellation) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var server = ClientVerb.ServerUrl(parse.GetValue(url));
                var secret = await SecretAsync(parse.GetValue(token), parse.GetValue(tokenFile), output);
                using var client = new FerryClient(server, secret);
                var me = await client.GetAsync("api/v1/whoami", cancellation);
                var name = me.Text("name")!;
                Targets.Save(server, secret, name);
                await output.WriteLineAsync($"logged in to {server.GetLeftPart(UriPartial.Authority)} as {UserVerbs.Describe(me)}; the token is saved in {Targets.FilePath}");
                return ExitCodes.Ok;
            }
            catch (UsageException e)
            {
                await error.WriteLineAsync($"ferry login: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (ServerUnreachableException e)
            {
                await error.WriteLineAsync($"ferry login: {e.Message}");
                return ExitCodes.Unreachable;
            }
            catch (ApiProblemException e)
            {
                await error.WriteLineAsync($"ferry login: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    public static Command Logout()
    {
        var url = new Option<string?>("--url") { Description = "The server to forget (default: FERRY_URL, else the one of ferry login)" };
        var command = new Command("logout", "Forget the token ferry login saved for a server") { url };
        command.SetAction(async (parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var server = ClientVerb.ServerUrl(parse.GetValue(url));
                if (!Targets.Remove(server))
                {
                    await error.WriteLineAsync($"ferry logout: no token is saved for {server.GetLeftPart(UriPartial.Authority)}");
                    return ExitCodes.Failed;
                }
                await output.WriteLineAsync($"forgot the token for {server.GetLeftPart(UriPartial.Authority)}");
                return ExitCodes.Ok;
            }
            catch (UsageException e)
            {
                await error.WriteLineAsync($"ferry logout: {e.Message}");
                return ExitCodes.Usage;
            }
        });
        return command;
    }

    private static async Task<string> SecretAsync(string? token, FileInfo? file, TextWriter output)
    {
        if (token is not null && file is not null)
        {
            throw new UsageException("give the token once: --token or --token-file, not both");
        }
        string? secret;
        if (file is not null)
        {
            try
            {
                secret = (await File.ReadAllTextAsync(file.FullName)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"--token-file {file.FullName}: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : e.Message)}");
            }
        }
        else
        {
            secret = token?.Trim() ?? await CliInput.ReadSecretAsync(output, "API token: ");
        }
        return string.IsNullOrEmpty(secret)
            ? throw new UsageException("no token given: --token-file FILE, --token TOKEN, or the token on standard input")
            : secret;
    }
}
