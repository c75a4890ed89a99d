using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;
using Ferry.Cli.Pipelines;

namespace Ferry.Cli.Environments;

/// <summary><c>variables</c>, <c>set-variable</c>, <c>unset-variable</c>: an environment's variables, given to its deploy and verify tasks.</summary>
internal static class VariableVerbs
{
    public static Command List()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var environment = EnvironmentOptions.Environment();
        return ClientVerb.Create("variables", "List an environment's variables (a secret's value is never shown)", true, async call =>
        {
            var (p, e) = (call.Get(pipeline), call.Get(environment));
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, EnvironmentOptions.EnvironmentPath(p, e, "variables"), null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var table = new Table("name", "value", "required", "updated", "by").Wrap("value");
            foreach (var variable in JsonNode.Parse(text).Items())
            {
                var value = !variable.Flag("hasValue") ? "(no value)" : variable.Flag("secret") ? "(secret)" : variable.Text("value");
                table.Add(variable.Text("name"), value, variable.Flag("required") ? "yes" : "no", variable.Time("updatedAt"), variable.Text("updatedBy"));
            }
            await table.WriteAsync(call.Output, $"environment '{p}/{e}' has no variables");
            return ExitCodes.Ok;
        }, pipeline, environment);
    }

    public static Command Set()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var environment = EnvironmentOptions.Environment();
        var name = new Argument<string>("NAME") { Description = "The variable (tasks get it as an environment variable)" };
        var value = new Argument<string?>("VALUE")
        {
            Description = "Its value; without it, the value is read from standard input (keeps a secret out of shell history)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var secret = new Option<bool>("--secret") { Description = "A secret: redacted from build logs, never shown again" };
        return ClientVerb.Create("set-variable", "Set a variable of an environment", false, async call =>
        {
            var (p, e, n) = (call.Get(pipeline), call.Get(environment), call.Parse.GetValue(name)!);
            var text = call.Parse.GetValue(value) ?? await ReadValueAsync(n, call.Error);
            var body = new JsonObject { ["value"] = text, ["secret"] = call.Get(secret) };
            await call.Client.SendAsync(HttpMethod.Put, EnvironmentOptions.EnvironmentPath(p, e, "variables/" + FerryClient.Escape(n)), body, call.Cancellation);
            await call.Output.WriteLineAsync($"set {(call.Get(secret) ? "secret " : "")}{n} in {p}/{e}");
            return ExitCodes.Ok;
        }, pipeline, environment, name, value, secret);
    }

    public static Command Unset()
    {
        var pipeline = PipelineVerbs.PipelineOption();
        var environment = EnvironmentOptions.Environment();
        var name = new Argument<string>("NAME") { Description = "The variable" };
        return ClientVerb.Create("unset-variable", "Remove a variable set on an environment", false, async call =>
        {
            var (p, e, n) = (call.Get(pipeline), call.Get(environment), call.Parse.GetValue(name)!);
            await call.Client.SendAsync(HttpMethod.Delete, EnvironmentOptions.EnvironmentPath(p, e, "variables/" + FerryClient.Escape(n)), null, call.Cancellation);
            await call.Output.WriteLineAsync($"unset {n} in {p}/{e}");
            return ExitCodes.Ok;
        }, pipeline, environment, name);
    }

    // A value piped in ends with the newline echo or a file gave it; the value is what comes before.
    private static async Task<string> ReadValueAsync(string name, TextWriter error)
    {
        if (!Console.IsInputRedirected && ReferenceEquals(CliInput.Current, Console.In))
        {
            await error.WriteLineAsync($"type {name}'s value, then Ctrl-D:");
        }
        var text = await CliInput.Current.ReadToEndAsync();
        if (text.Length == 0)
        {
            throw new UsageException($"give {name}'s VALUE, or pipe it on standard input (nothing was read)");
        }
        return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
    }
}
