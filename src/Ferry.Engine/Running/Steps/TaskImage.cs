using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Core.Builds;
using Ferry.Core.Plans;
using Ferry.Engine.Containers;
using Ferry.Engine.Resources;

namespace Ferry.Engine.Running.Steps;

/// <summary>The image a task names: its config's <c>image_resource</c> or the step's <c>image:</c> artifact.</summary>
internal abstract record TaskImage(string Description)
{
    /// <summary>How errors name the image a task names, whether or not Ferry can run it; null when it names none.</summary>
    public static string? Describe(TaskPlan plan, TaskPlanConfig config) => plan.Image is { } name
        ? $"artifact '{name}'"
        : config.ImageResource is { } resource
            ? $"{resource.Type} {(resource.Source["repository"] is { } repository ? Reference(repository, resource.Source["tag"]) : "(no repository)")}"
            : null;

    private static string Reference(JsonNode repository, JsonNode? tag) =>
        $"{Text(repository)}:{(tag is null ? "latest" : Text(tag))}";

    private static string Text(JsonNode node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();

    /// <summary>Null when the task names no image; a <see cref="StepException"/> for an image Ferry cannot run.</summary>
    public static TaskImage? Of(TaskPlan plan, TaskPlanConfig config, ArtifactScope artifacts, string what)
    {
        if (plan.Image is { } name)
        {
            var directory = artifacts.Find(name) ?? throw new StepException($"{what}: image: no artifact named '{name}' (a get before the task makes it)");
            return new ArtifactImage(name, directory);
        }
        if (config.ImageResource is not { } resource)
        {
            return null;
        }
        if (!ImageSource.Types.Contains(resource.Type))
        {
            throw new StepException($"{what}: image_resource of type '{resource.Type}': Ferry pulls images of type {string.Join(" or ", ImageSource.Types)}");
        }
        try
        {
            var source = ImageSource.From(resource.Source, resource.Version, "image_resource.source");
            return new RegistryImage(source, $"{resource.Type} {source.Reference}");
        }
        catch (ResourceConfigException e)
        {
            throw new StepException($"{what}: {e.Message}", e);
        }
    }

    /// <summary>The image ready to run: pulled (or found in the cache), or read from the artifact.</summary>
    public abstract Task<ContainerImage> ResolveAsync(ContainerRuntime containers, StepLog log, string what, CancellationToken cancellation);
}

internal sealed record RegistryImage(ImageSource Source, string Text) : TaskImage(Text)
{
    public override async Task<ContainerImage> ResolveAsync(ContainerRuntime containers, StepLog log, string what, CancellationToken cancellation)
    {
        try
        {
            var fetch = await containers.ImageAsync(Source, cancellation);
            if (fetch.PullTime is { } took)
            {
                await log.WriteLineAsync($"pulled image {fetch.Image.Description} in {took.TotalSeconds:0.0}s", LogStream.Stderr);
            }
            return fetch.Image;
        }
        catch (ImagePullException e)
        {
            throw new StepException($"{what}: {e.Message}", e);
        }
    }
}

/// <summary>
/// A root filesystem a step fetched: Concourse's shape, <c>rootfs/</c> and <c>metadata.json</c>
/// (<c>{"env": ["K=V"], "user": "…"}</c>), as registry-image's get writes it.
/// </summary>
internal sealed record ArtifactImage(string Name, string Directory) : TaskImage($"artifact '{Name}'")
{
    public override Task<ContainerImage> ResolveAsync(ContainerRuntime containers, StepLog log, string what, CancellationToken cancellation)
    {
        var rootfs = Path.Combine(Directory, "rootfs");
        if (!System.IO.Directory.Exists(rootfs))
        {
            throw new StepException($"{what}: image artifact '{Name}' has no rootfs/ directory (fetch it with registry-image's format: rootfs, the default)");
        }
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        string? user = null;
        var metadata = Path.Combine(Directory, "metadata.json");
        if (File.Exists(metadata))
        {
            try
            {
                var json = JsonNode.Parse(File.ReadAllText(metadata)) as JsonObject;
                foreach (var entry in json?["env"] as JsonArray ?? [])
                {
                    var text = entry?.GetValue<string>() ?? "";
                    var equals = text.IndexOf('=', StringComparison.Ordinal);
                    if (equals > 0)
                    {
                        environment[text[..equals]] = text[(equals + 1)..];
                    }
                }
                user = json?["user"]?.GetValue<string>();
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
            {
                throw new StepException($"{what}: image artifact '{Name}': metadata.json is not {{\"env\": [\"K=V\"], \"user\": \"…\"}}: {e.Message}", e);
            }
        }
        return Task.FromResult<ContainerImage>(new RootfsImage(rootfs, environment, string.IsNullOrEmpty(user) ? null : user, Name));
    }
}
