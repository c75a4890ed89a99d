using System.CommandLine;
using System.Diagnostics;
using System.IO.Compression;
using Ferry.Core.Resolving;
using Ferry.Core.Resolving.VersionsDb;

namespace Ferry.Cli.Debug;

/// <summary><c>ferry debug resolve</c>: runs the input resolver offline on a Concourse versions dump.</summary>
internal static class DebugResolveCommand
{
    public static Command Create()
    {
        var db = new Option<FileInfo>("--versions-db")
        {
            Description = "A Concourse versions dump (JSON, gzipped or not).",
            Required = true,
        };
        var inputs = new Option<string[]>("--input")
        {
            Description = "NAME[=RESOURCE][:JOB1,JOB2…][@every|@pin=VERSIONNAME]; repeat per input. Without =RESOURCE the "
                + "input reads the resource named NAME. :JOBS are the passed jobs; @pin takes a name like imported-r1v26528.",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
        };
        var job = new Option<string>("--job")
        {
            Description = "The job to resolve for; its builds in the dump are its history.",
            DefaultValueFactory = _ => VersionsDump.CurrentJob,
        };
        var json = new Option<bool>("--json") { Description = "Print {ok, values, errors, blockers, elapsedMs} as JSON." };
        var command = new Command("resolve", "Resolve a job's inputs against a versions dump, offline, and time it. "
            + "Exit 0 when every input got a version, 1 when some did not, 2 on bad usage or an unreadable dump.")
        {
            db, inputs, job, json,
        };
        command.SetAction(parsed => Run(
            parsed.GetValue(db)!, parsed.GetValue(inputs) ?? [], parsed.GetValue(job)!, parsed.GetValue(json),
            parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(FileInfo file, string[] inputTexts, string jobName, bool json, TextWriter output, TextWriter error)
    {
        List<InputSpec> specs;
        try
        {
            specs = inputTexts.Select(InputSpec.Parse).ToList();
        }
        catch (FormatException e)
        {
            error.WriteLine($"ferry debug resolve: {e.Message}");
            return ExitCodes.Usage;
        }
        var duplicate = specs.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            error.WriteLine($"ferry debug resolve: --input '{duplicate.Key}' is given more than once");
            return ExitCodes.Usage;
        }
        var loadClock = Stopwatch.StartNew();
        VersionsDump dump;
        try
        {
            dump = Load(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidDataException)
        {
            error.WriteLine($"ferry debug resolve: --versions-db {file.FullName}: {e.Message}");
            return ExitCodes.Usage;
        }
        var loadMs = loadClock.Elapsed.TotalMilliseconds;
        var configs = specs.Select(s => ToConfig(s, dump)).ToList();
        var clock = Stopwatch.StartNew();
        var result = Resolver.Resolve(dump.Snapshot, jobName, configs);
        var elapsedMs = clock.Elapsed.TotalMilliseconds;
        var report = new ResolveReport(specs.Select(s => s.Name).ToList(), result, dump, elapsedMs, loadMs);
        output.Write(json ? report.ToJson() : report.ToText());
        return result.Ok ? ExitCodes.Ok : ExitCodes.Failed;
    }

    private static InputConfig ToConfig(InputSpec spec, VersionsDump dump)
    {
        var pin = spec.PinnedVersionName is { } name ? new VersionPin($"ver:{name}", dump.VersionId(name)) : null;
        return new InputConfig(spec.Name, spec.Resource, spec.Passed, spec.Mode, pin);
    }

    internal static VersionsDump Load(FileInfo file)
    {
        using var stream = file.OpenRead();
        var first = stream.ReadByte();
        var second = stream.ReadByte();
        stream.Position = 0;
        // Gzip by its magic bytes, whatever the file is called.
        using Stream content = first == 0x1f && second == 0x8b ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        return VersionsDumpLoader.Load(content, file.FullName);
    }
}
