using System.Diagnostics;
using System.Reflection;
using Ferry.Server.Api;
using Ferry.Server.Pipelines;
using Ferry.Storage;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Examples;

/// <summary>
/// On a server's first start (an empty store), sets up the hello example so a new user sees a pipeline run within a
/// minute: a local git repository under the data directory holding the example app, and the pipeline
/// <c>hello</c> watching it. The files come from examples/hello, embedded in this assembly.
/// </summary>
internal static class ExampleSeeder
{
    public const string PipelineName = "hello";
    private const string ResourcePrefix = "Ferry.Server.Examples.hello/";

    public static async Task SeedAsync(IStore store, string dataDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        if ((await store.ListPipelinesAsync(cancellationToken)).Count > 0)
            return;
        var bare = Path.Combine(dataDirectory, "examples", "hello.git");
        if (!Directory.Exists(bare))
            await CreateRepositoryAsync(bare, cancellationToken);
        var request = new SetPipelineRequest(Read("pipeline.yml"), "pipeline.yml", new Dictionary<string, string> { ["repo"] = "file://" + bare });
        var config = PipelineSetter.Check(PipelineName, request);
        await store.SetPipelineAsync(PipelineSetter.ToInput(PipelineName, config, pausedIfNew: false, createdBy: "ferry (example)"), cancellationToken);
        logger.LogInformation("set up the example pipeline '{Pipeline}' watching {Repository}; commit to it to see a change flow through", PipelineName, bare);
    }

    private static async Task CreateRepositoryAsync(string bare, CancellationToken cancellationToken)
    {
        var work = Directory.CreateTempSubdirectory("ferry-example-").FullName;
        try
        {
            foreach (var name in typeof(ExampleSeeder).Assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix + "app/", StringComparison.Ordinal)))
            {
                var relative = name[(ResourcePrefix.Length + "app/".Length)..];
                var path = Path.Combine(work, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllTextAsync(path, Read("app/" + relative), cancellationToken);
                if (!OperatingSystem.IsWindows() && (relative == "hello" || relative.EndsWith(".sh", StringComparison.Ordinal)))
                    File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            }
            Directory.CreateDirectory(Path.GetDirectoryName(bare)!);
            await GitAsync(null, cancellationToken, "init", "-q", "--bare", "-b", "main", bare);
            await GitAsync(work, cancellationToken, "init", "-q", "-b", "main");
            await GitAsync(work, cancellationToken, "add", "-A");
            await GitAsync(work, cancellationToken, "commit", "-q", "-m", "The hello example app");
            await GitAsync(work, cancellationToken, "push", "-q", bare, "main");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Read(string relative)
    {
        using var stream = typeof(ExampleSeeder).Assembly.GetManifestResourceStream(ResourcePrefix + relative)
            ?? throw new InvalidOperationException($"the example file {relative} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task GitAsync(string? directory, CancellationToken cancellationToken, params string[] args)
    {
        var info = new ProcessStartInfo("git") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (directory is not null)
            info.WorkingDirectory = directory;
        foreach (var arg in new[] { "-c", "user.name=Ferry", "-c", "user.email=ferry@localhost" }.Concat(args))
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start git");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"setting up the example: git {string.Join(' ', args)} failed: {(await error).Trim()}");
    }
}
