using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Resources.External;

/// <summary>
/// A resource type made of Concourse's <c>check</c>, <c>in</c> and <c>out</c> executables in one directory, run as
/// plain processes (no container), speaking Concourse's JSON protocol on stdin/stdout; stderr goes to the log.
/// </summary>
internal sealed class ExternalResourceType : IResourceType
{
    public static readonly ConfigSchema Schema = new([new ConfigField("path", FieldKind.String, Required: true)]);

    /// <summary>Far above any real check/in/out answer; beyond it the output is refused, not parsed.</summary>
    internal const int MaxOutputChars = 16 * 1024 * 1024;

    private readonly string _directory;
    private readonly ProcessRunner _processes;

    private ExternalResourceType(string name, string directory, ProcessRunner processes)
    {
        Name = name;
        _directory = directory;
        _processes = processes;
    }

    public string Name { get; }

    /// <summary>Checks that <paramref name="directory"/> holds the three executables; terminal error otherwise.</summary>
    public static ExternalResourceType Open(string name, string directory, string configPath, ProcessRunner processes)
    {
        if (!Directory.Exists(directory))
            throw new ResourceConfigException($"{configPath}: directory '{directory}' of resource type '{name}' does not exist");
        foreach (var script in new[] { "check", "in", "out" })
        {
            var file = Path.Combine(directory, script);
            if (!File.Exists(file))
                throw new ResourceConfigException($"{configPath}: resource type '{name}' has no '{script}' executable in '{directory}'");
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
                throw new ResourceConfigException($"{configPath}: '{file}' of resource type '{name}' is not executable");
        }

        return new ExternalResourceType(name, Path.GetFullPath(directory), processes);
    }

    public async Task<IReadOnlyList<ResourceVersion>> CheckAsync(ResourceCall call, JsonObject source, ResourceVersion? from, CancellationToken cancellation)
    {
        var request = ConcourseJson.CheckRequest(source, from);
        Directory.CreateDirectory(call.WorkRoot);
        var output = await RunAsync(call, "check", [], call.WorkRoot, request, cancellation);
        return ConcourseJson.ParseCheckOutput(output, Name);
    }

    public async Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject source, ResourceVersion version, JsonObject @params, string directory, CancellationToken cancellation)
    {
        var request = ConcourseJson.GetRequest(source, version, @params);
        var output = await RunAsync(call, "in", [directory], directory, request, cancellation);
        return ConcourseJson.ParseVersionOutput(output, Name, "in");
    }

    public async Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject source, JsonObject @params, string artifactsRoot, CancellationToken cancellation)
    {
        var request = ConcourseJson.PutRequest(source, @params);
        var output = await RunAsync(call, "out", [artifactsRoot], artifactsRoot, request, cancellation);
        return ConcourseJson.ParseVersionOutput(output, Name, "out");
    }

    private async Task<string> RunAsync(ResourceCall call, string script, IReadOnlyList<string> args, string workingDirectory, JsonObject request, CancellationToken cancellation)
    {
        var spec = new ProcessSpec(Path.Combine(_directory, script), args, workingDirectory, Environment(call)) { Stdin = request.ToJsonString() };
        var result = await _processes.CaptureAsync(spec, line => call.Log.WriteLine(line), MaxOutputChars, cancellation);
        return ConcourseJson.Output(result, Name, script, MaxOutputChars);
    }

    private static Dictionary<string, string> Environment(ResourceCall call)
    {
        // A clean environment, as in a Concourse container: the basics a script needs plus the build metadata.
        var env = ProcessEnvironment.Inherited();
        foreach (var (name, value) in call.Environment)
            env[name] = value;
        return env;
    }
}
