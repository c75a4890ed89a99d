using System.Reflection;
using Ferry.Engine.Processes;
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

    public static async Task SeedAsync(IStore store, string dataDirectory, ProcessRunner processes, ILogger logger, CancellationToken cancellationToken)
    {
        if ((await store.ListPipelinesAsync(cancellationToken)).Count > 0)
            return;
        var bare = Path.Combine(dataDirectory, "examples", "hello.git");
        if (!Directory.Exists(bare))
            await CreateRepositoryAsync(bare, processes, cancellationToken);
        var request = new SetPipelineRequest(Read("pipeline.yml"), "pipeline.yml", new Dictionary<string, string> { ["repo"] = "file://" + bare });
        var config = PipelineSetter.Check(PipelineName, request);
        await store.SetPipelineAsync(PipelineSetter.ToInput(PipelineName, config, pausedIfNew: false, createdBy: "ferry (example)"), cancellationToken);
        logger.LogInformation("set up the example pipeline '{Pipeline}' watching {Repository}; commit to it to see a change flow through", PipelineName, bare);
    }

    private static async Task CreateRepositoryAsync(string bare, ProcessRunner processes, CancellationToken cancellationToken)
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
            await GitAsync(processes, null, cancellationToken, "init", "-q", "--bare", "-b", "main", bare);
            await GitAsync(processes, work, cancellationToken, "init", "-q", "-b", "main");
            await GitAsync(processes, work, cancellationToken, "add", "-A");
            await GitAsync(processes, work, cancellationToken, "commit", "-q", "-m", "The hello example app");
            await GitAsync(processes, work, cancellationToken, "push", "-q", bare, "main");
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

    private static async Task GitAsync(ProcessRunner processes, string? directory, CancellationToken cancellationToken, params string[] args)
    {
        var spec = new ProcessSpec("git", ["-c", "user.name=Ferry", "-c", "user.email=ferry@localhost", .. args],
            directory ?? Environment.CurrentDirectory, ProcessEnvironment.Inherited());
        var result = await processes.CaptureAsync(spec, onStderrLine: null, int.MaxValue, cancellationToken);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"setting up the example: git {string.Join(' ', args)} failed: {result.StderrTail.Trim()}");
    }
}
