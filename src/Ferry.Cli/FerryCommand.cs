using System.CommandLine;

namespace Ferry.Cli;

/// <summary>The root of the <c>ferry</c> executable: one verb per concept, each in its own folder.</summary>
internal static class FerryCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Ferry: continuous delivery from development through staging to production.");
        foreach (var verb in Verbs())
        {
            root.Subcommands.Add(verb);
        }
        return root;
    }

    // Each concept adds its verbs here; keep one line per verb factory.
    private static IEnumerable<Command> Verbs()
    {
        yield return Debug.DebugCommand.Create();
        yield return Validate.ValidateCommand.Create();
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync($"ferry: {problem.Message}");
            }
            await error.WriteLineAsync("Run 'ferry --help' for usage.");
            return ExitCodes.Usage;
        }
        var config = new InvocationConfiguration { Output = output, Error = error };
        return await parsed.InvokeAsync(config);
    }
}
