using System.CommandLine;
using System.Text.Json.Nodes;
using Ferry.Cli.Client;

namespace Ferry.Cli.Resources;

/// <summary><c>versions -r P/R</c>, <c>enable-version</c>, <c>disable-version</c>.</summary>
internal static class VersionVerbs
{
    public static Command List()
    {
        var resource = ResourceVerbs.ResourceOption();
        var count = new Option<int>("--count", "-c") { Description = "How many versions (newest first)", DefaultValueFactory = _ => 50 };
        return ClientVerb.Create("versions", "List a resource's versions, newest first", true, async call =>
        {
            var (p, r) = Names.Split(call.Get(resource), "-r", "resource");
            var n = call.Get(count);
            if (n is < 1 or > 1000)
            {
                throw new UsageException($"--count must be between 1 and 1000, not {n}");
            }
            var text = await call.Client.SendForTextAsync(HttpMethod.Get, Names.Path("pipelines", p, "resources", r, "versions") + $"?limit={n}", null, call.Cancellation);
            if (call.Json)
            {
                await call.Output.WriteLineAsync(text);
                return ExitCodes.Ok;
            }
            var table = new Table("id", "version", "enabled", "found");
            foreach (var v in JsonNode.Parse(text).Items())
            {
                table.Add(v.Text("id"), ResourceVerbs.Describe(v["version"]), v.Flag("enabled") ? "yes" : "no", v.Time("createdAt"));
            }
            await table.WriteAsync(call.Output, $"{p}/{r} has no versions yet");
            return ExitCodes.Ok;
        }, resource, count);
    }

    public static Command Enable() => Toggle("enable-version", "Enable a version again: jobs may get it", "enable", "enabled");

    public static Command Disable() => Toggle("disable-version", "Disable a version: no job gets it, also not through passed", "disable", "disabled");

    private static Command Toggle(string name, string description, string action, string done)
    {
        var resource = ResourceVerbs.ResourceOption();
        var version = ResourceVerbs.VersionOption();
        return ClientVerb.Create(name, description, false, async call =>
        {
            var (p, r) = Names.Split(call.Get(resource), "-r", "resource");
            var fields = ResourceVerbs.Fields(call.Get(version));
            var path = Names.Path("pipelines", p, "resources", r, "versions");
            var query = string.Join(",", fields.Select(f => $"{f.Key}:{f.Value}"));
            var found = (await call.Client.GetAsync(path + "?version=" + FerryClient.Escape(query), call.Cancellation)).Items().First();
            var result = await call.Client.SendAsync(HttpMethod.Put, $"{path}/{found.Text("id")}/{action}", null, call.Cancellation);
            await call.Output.WriteLineAsync($"{done} version {ResourceVerbs.Describe(result?["version"])} of {p}/{r}");
            return ExitCodes.Ok;
        }, resource, version);
    }
}
