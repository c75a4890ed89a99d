using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Containers;

namespace Ferry.Engine.Resources.External;

/// <summary>
/// A pipeline's resource type that is a container image (<c>type: registry-image</c> or <c>docker-image</c> in
/// <c>resource_types</c>), run as Concourse runs it: <c>/opt/resource/check</c>, <c>in</c> and <c>out</c> inside the
/// image, the request JSON on stdin, the response on stdout, stderr to the log, the build metadata as environment.
/// <c>in</c> gets its destination at <c>/tmp/build/get</c>; <c>out</c> runs in <c>/tmp/build/put</c> with each
/// artifact mounted under it by name. The image is pulled once and taken again at the type's <c>check_every</c>.
/// </summary>
internal sealed class ImageResourceType(string name, ImageSource image, bool privileged, TimeSpan imageMaxAge, ContainerRuntime containers) : IResourceType
{
    private const string GetDirectory = "/tmp/build/get";
    private const string PutDirectory = "/tmp/build/put";

    public string Name { get; } = name;

    public ImageSource Image { get; } = image;

    public async Task<IReadOnlyList<ResourceVersion>> CheckAsync(ResourceCall call, JsonObject source, ResourceVersion? from, CancellationToken cancellation)
    {
        var output = await RunAsync(call, "check", [], null, [], ConcourseJson.CheckRequest(source, from), cancellation);
        return ConcourseJson.ParseCheckOutput(output, Name);
    }

    public async Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject source, ResourceVersion version, JsonObject @params, string directory, CancellationToken cancellation)
    {
        var output = await RunAsync(call, "in", [GetDirectory], GetDirectory, [new ContainerMount(Path.GetFullPath(directory), GetDirectory)],
            ConcourseJson.GetRequest(source, version, @params), cancellation);
        return ConcourseJson.ParseVersionOutput(output, Name, "in");
    }

    public async Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject source, JsonObject @params, string artifactsRoot, CancellationToken cancellation)
    {
        // The artifacts root holds links to the artifacts (or the artifacts themselves): each is mounted by its name.
        var mounts = new DirectoryInfo(artifactsRoot).EnumerateFileSystemInfos()
            .Select(entry => new ContainerMount(entry.LinkTarget is { } target ? Path.GetFullPath(target, artifactsRoot) : entry.FullName, $"{PutDirectory}/{entry.Name}"))
            .ToList();
        var output = await RunAsync(call, "out", [PutDirectory], PutDirectory, mounts, ConcourseJson.PutRequest(source, @params), cancellation);
        return ConcourseJson.ParseVersionOutput(output, Name, "out");
    }

    private async Task<string> RunAsync(ResourceCall call, string script, IReadOnlyList<string> args, string? workingDirectory,
        IReadOnlyList<ContainerMount> mounts, JsonObject request, CancellationToken cancellation)
    {
        ImageFetch fetch;
        try
        {
            fetch = await containers.ImageAsync(Image, cancellation, imageMaxAge);
        }
        catch (ImagePullException e)
        {
            throw ResourceException.Retryable($"resource type '{Name}': {e.Message}", e);
        }
        if (fetch.PullTime is { } took)
            call.Log.WriteLine($"pulled image {fetch.Image.Description} for resource type '{Name}' in {took.TotalSeconds:0.0}s");
        var spec = new ContainerSpec(fetch.Image, $"/opt/resource/{script}", args)
        {
            Stdin = request.ToJsonString(),
            Environment = call.Environment,
            WorkingDirectory = workingDirectory,
            Mounts = mounts,
            Privileged = privileged,
            Labels = call.Environment.TryGetValue("BUILD_ID", out var build) ? new Dictionary<string, string> { [ContainerLabels.Build] = build } : new Dictionary<string, string>(),
        };
        try
        {
            var result = await containers.CaptureAsync(spec, line => call.Log.WriteLine(line), ExternalResourceType.MaxOutputChars, cancellation);
            return ConcourseJson.Output(result, Name, script, ExternalResourceType.MaxOutputChars);
        }
        catch (ContainerException e)
        {
            throw ResourceException.Retryable($"resource type '{Name}' (image {fetch.Image.Description}): {script}: {e.Message}", e);
        }
    }
}
