using System.CommandLine;
using System.Diagnostics;
using Ferry.Core.Resolving.VersionsDb;
using Ferry.Server;
using Ferry.Server.Debug;
using Ferry.Storage;

namespace Ferry.Cli.Debug;

/// <summary>
/// <c>ferry debug import-versions-db FILE -p PIPELINE [--data DIR] [--db CONN]</c>: writes a Concourse versions dump into
/// a server's store as a new, paused pipeline's history, straight on the store like <c>ferry user add --data</c>.
/// </summary>
internal static class DebugImportCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A Concourse versions dump (JSON, gzipped or not)." };
        var pipeline = new Option<string>("--pipeline", "-p") { Description = "The pipeline to create with the dump's history.", Required = true };
        var data = new Option<string?>("--data")
        {
            Description = $"The server's data directory (SQLite store; default: FERRY_DATA, else ./{ServerOptions.DefaultDataDirectory})",
        };
        var db = new Option<string?>("--db") { Description = "A PostgreSQL store (connection string or postgres:// URL; default: FERRY_DB)" };
        var command = new Command("import-versions-db", "Create a paused pipeline in a store with a versions dump's resources, jobs, versions and "
            + "builds, for scheduling passes and ferry explain on a long history. Exit 0 when imported, 1 when the pipeline exists, 2 for an unreadable dump.")
        {
            file, pipeline, data, db,
        };
        command.SetAction(async (parsed, cancellation) =>
        {
            var output = parsed.InvocationConfiguration.Output;
            var error = parsed.InvocationConfiguration.Error;
            var path = parsed.GetValue(file)!;
            VersionsDump dump;
            try
            {
                dump = DebugResolveCommand.Load(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidDataException)
            {
                await error.WriteLineAsync($"ferry debug import-versions-db: {path.FullName}: {e.Message}");
                return ExitCodes.Usage;
            }
            var options = ServerOptions.From(parsed.GetValue(data), parsed.GetValue(db), null);
            var name = parsed.GetValue(pipeline)!;
            var clock = Stopwatch.StartNew();
            try
            {
                await using var store = await StoreFactory.OpenAsync(Path.GetFullPath(options.DataDirectory), options.Connection, TimeProvider.System, cancellation);
                var imported = await VersionsDbImporter.ImportAsync(store, dump, name, cancellation);
                await output.WriteLineAsync($"imported {path.Name} into pipeline '{name}' (paused): {imported.Versions} versions, {imported.Builds} builds, "
                    + $"{imported.Inputs} inputs, {imported.Outputs} outputs, {imported.Pipes} pipes in {clock.Elapsed.TotalSeconds:0.0} s");
                return ExitCodes.Ok;
            }
            catch (VersionsDbImportException e)
            {
                await error.WriteLineAsync($"ferry debug import-versions-db: {path.FullName}: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }
}
