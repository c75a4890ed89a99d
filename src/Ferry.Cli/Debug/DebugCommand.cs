using System.CommandLine;

namespace Ferry.Cli.Debug;

/// <summary><c>ferry debug</c>: offline tools for looking inside Ferry's algorithms.</summary>
internal static class DebugCommand
{
    public static Command Create()
    {
        var debug = new Command("debug", "Offline tools for looking inside Ferry's algorithms.");
        debug.Subcommands.Add(DebugResolveCommand.Create());
        debug.Subcommands.Add(DebugImportCommand.Create());
        return debug;
    }
}
