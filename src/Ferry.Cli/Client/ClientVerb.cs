using System.CommandLine;

namespace Ferry.Cli.Client;

/// <summary>What a client verb's action gets: the parsed line, a connected client and where to write.</summary>
internal sealed record ClientCall(ParseResult Parse, FerryClient Client, TextWriter Output, TextWriter Error, bool Json, CancellationToken Cancellation)
{
    public T Get<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => Parse.GetValue(argument)!;
}

/// <summary>
/// The options every client verb shares (<c>--url</c>, and <c>--json</c> on lists) and one place that turns failures
/// into exit codes: 3 unreachable, 2 usage (and 400), 1 any other problem the server reports.
/// </summary>
internal static class ClientVerb
{
    public static Command Create(string name, string description, bool json, Func<ClientCall, Task<int>> action, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
            }
        }
        var url = new Option<string?>("--url")
        {
            Description = $"The Ferry server (default: FERRY_URL, else the one of ferry login, else {FerryClient.DefaultUrl}); " +
                "the token is FERRY_TOKEN, else the one ferry login saved for that URL",
        };
        command.Options.Add(url);
        Option<bool>? jsonOption = null;
        if (json)
        {
            jsonOption = new Option<bool>("--json") { Description = "Print the API's JSON as it is" };
            command.Options.Add(jsonOption);
        }
        command.SetAction((parse, cancellation) => RunAsync(parse, name, url, jsonOption, action, cancellation));
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult parse, string name, Option<string?> url, Option<bool>? json, Func<ClientCall, Task<int>> action, CancellationToken cancellation)
    {
        name = Path(parse) ?? name;
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        try
        {
            var baseUrl = ServerUrl(parse.GetValue(url));
            using var client = new FerryClient(baseUrl, CliToken.For(baseUrl));
            var isJson = json is not null && parse.GetValue(json);
            return await action(new ClientCall(parse, client, output, error, isJson, cancellation));
        }
        catch (ServerUnreachableException e)
        {
            await error.WriteLineAsync($"ferry: {e.Message}");
            return ExitCodes.Unreachable;
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"ferry {name}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (ApiProblemException e)
        {
            await error.WriteLineAsync($"ferry {name}: {e.Message}");
            // A problem with one error says it in its detail: printed once, not again as a list.
            foreach (var line in e.Details.Where(l => l != e.Message))
            {
                await error.WriteLineAsync($"  {line}");
            }
            if (e.Status == 401)
            {
                await error.WriteLineAsync("  sign in: ferry login --url URL --token-file FILE (a server's first start writes its admin's token to DATA/admin-token)");
            }
            return e.Status == 400 ? ExitCodes.Usage : ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await error.WriteLineAsync($"ferry {name}: interrupted");
            return ExitCodes.Failed;
        }
    }

    /// <summary><c>--url</c>, else FERRY_URL, else the server <c>ferry login</c> signed in to last, else the default.</summary>
    public static Uri ServerUrl(string? option)
    {
        var given = option ?? Environment.GetEnvironmentVariable("FERRY_URL");
        return string.IsNullOrWhiteSpace(given) && Targets.Current is { } saved ? saved : FerryClient.ParseUrl(given);
    }

    /// <summary>"token create" for a verb under a parent command, so messages name what was typed.</summary>
    private static string? Path(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null && result.Command is not RootCommand; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }
        return names.Count == 0 ? null : string.Join(' ', names);
    }
}
