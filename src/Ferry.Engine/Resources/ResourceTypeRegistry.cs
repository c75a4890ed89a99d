using System.Text.Json.Nodes;
using Ferry.Core.Validation;
using Ferry.Engine.Containers;
using Ferry.Engine.Processes;
using Ferry.Engine.Resources.External;
using Ferry.Engine.Resources.Git;
using Ferry.Engine.Resources.NodeRed;
using Ferry.Engine.Resources.Npm;
using Ferry.Engine.Resources.RegistryImage;
using Ferry.Engine.Resources.Time;

namespace Ferry.Engine.Resources;

/// <summary>
/// Resource types by name: the built-in ones (registered in C#) and a pipeline's <c>resource_types</c>, which take
/// precedence as in Concourse (a pipeline may declare its own <c>git</c>).
/// </summary>
public sealed class ResourceTypeRegistry
{
    /// <summary>The <c>type:</c> of a resource_types entry that runs check/in/out executables from a directory.</summary>
    public const string ExecType = "exec";

    private readonly Dictionary<string, RegisteredResourceType> _types = new(StringComparer.Ordinal);
    private readonly ProcessRunner _processes;
    private ContainerRuntime? _containers;

    /// <param name="processes">Runs the types' processes (git, external types' scripts); the server's records them.</param>
    public ResourceTypeRegistry(ProcessRunner? processes = null) => _processes = processes ?? new ProcessRunner();

    /// <summary>git, node-red, npm, registry-image and time; <paramref name="time"/> is the clock the time type reads and npm stamps nightlies with (tests pass a fake).</summary>
    public static ResourceTypeRegistry WithBuiltIns(TimeProvider? time = null, ProcessRunner? processes = null)
    {
        var registry = new ResourceTypeRegistry(processes);
        return registry
            .Register(new GitResourceType(registry._processes), GitSource.Schema, GitGet.Schema, GitPut.Schema)
            .Register(new NodeRedResourceType(), NodeRedSource.Schema, new ConfigSchema([]), NodeRedPut.Schema)
            .Register(new NpmResourceType(time ?? TimeProvider.System), NpmSource.Schema, NpmGet.Schema, NpmPut.Schema)
            .Register(new RegistryImageResourceType(), RegistryImageSource.Schema, RegistryImageGet.Schema, RegistryImagePut.Schema)
            .Register(new TimeResourceType(time ?? TimeProvider.System), TimeSource.Schema, ConfigSchema.Open, ConfigSchema.Open);
    }

    public IReadOnlyCollection<string> Names => _types.Keys;

    /// <summary>Runs the pipelines' image types (runtime <c>container</c>); without it they fail with an error that says so.</summary>
    public ResourceTypeRegistry WithContainers(ContainerRuntime? containers)
    {
        _containers = containers;
        return this;
    }

    public ResourceTypeRegistry Register(IResourceType type, ConfigSchema source, ConfigSchema? getParams = null, ConfigSchema? putParams = null)
    {
        if (!_types.TryAdd(type.Name, new RegisteredResourceType(type, source, getParams ?? ConfigSchema.Open, putParams ?? ConfigSchema.Open)))
            throw new InvalidOperationException($"resource type '{type.Name}' is registered twice");
        return this;
    }

    public bool Contains(string name) => _types.ContainsKey(name);

    /// <summary>
    /// The type a resource's <c>type:</c> names: the pipeline's own <c>resource_types</c> first, then the built-ins.
    /// Throws a terminal <see cref="ResourceException"/> for an unknown name, an image type on a server without
    /// containers or an exec type whose directory lacks its executables.
    /// </summary>
    public RegisteredResourceType Resolve(string name, IReadOnlyList<ResourceTypeDeclaration>? pipelineTypes = null)
    {
        var declared = pipelineTypes?.FirstOrDefault(t => t.Name == name);
        if (declared is not null)
            return FromDeclaration(declared);
        if (_types.TryGetValue(name, out var builtIn))
            return builtIn;
        var known = _types.Keys.Concat(pipelineTypes?.Select(t => t.Name) ?? []).Order(StringComparer.Ordinal);
        throw ResourceException.Terminal($"unknown resource type '{name}' (known: {string.Join(", ", known)})");
    }

    /// <summary>
    /// A lookup for one pipeline (the runner's <c>Func&lt;string, IResourceType?&gt;</c>): null for a name neither the
    /// pipeline nor the built-ins know; a terminal <see cref="ResourceException"/> for a declared type that cannot run.
    /// </summary>
    public Func<string, IResourceType?> Lookup(IReadOnlyList<ResourceTypeDeclaration>? pipelineTypes = null) =>
        name => pipelineTypes?.Any(t => t.Name == name) == true || _types.ContainsKey(name) ? Resolve(name, pipelineTypes).Type : null;

    /// <summary>
    /// Validates a resource's source against its type's schema without running anything; messages start with
    /// <paramref name="path"/> (e.g. <c>resources.app.source.uri: required</c>).
    /// </summary>
    public ConfigProblems ValidateSource(string typeName, JsonObject? source, IReadOnlyList<ResourceTypeDeclaration>? pipelineTypes, string path)
    {
        var declared = pipelineTypes?.FirstOrDefault(t => t.Name == typeName);
        if (declared is not null)
        {
            var problems = ValidateDeclaration(declared, $"resource_types.{declared.Name}");
            return problems.Ok ? new ConfigProblems([], problems.Warnings) : problems;
        }

        if (_types.TryGetValue(typeName, out var type))
            return type.Source.Validate(source, path);
        return new ConfigProblems([$"{path[..Math.Max(0, path.LastIndexOf('.'))]}.type: unknown resource type '{typeName}'"], []);
    }

    /// <summary>Checks a resource_types entry: a known shape and the fields that shape requires.</summary>
    public static ConfigProblems ValidateDeclaration(ResourceTypeDeclaration declaration, string path)
    {
        if (declaration.Type == ExecType)
            return ExternalResourceType.Schema.Validate(declaration.Source, $"{path}.source");
        if (ImageSource.Types.Contains(declaration.Type))
            return ImageSource.Schema.Validate(declaration.Source, $"{path}.source");
        return new ConfigProblems([$"{path}.type: '{declaration.Type}' is not supported for resource_types; use type: registry-image with source.repository " +
                                   $"(an image with /opt/resource/check, in and out), or type: {ExecType} with source.path to a directory holding check, in and out"], []);
    }

    private RegisteredResourceType FromDeclaration(ResourceTypeDeclaration declaration)
    {
        var path = $"resource_types.{declaration.Name}";
        var problems = ValidateDeclaration(declaration, path);
        if (!problems.Ok)
            throw new ResourceConfigException(problems.Errors);
        if (ImageSource.Types.Contains(declaration.Type))
            return new RegisteredResourceType(FromImage(declaration, path), ConfigSchema.Open, ConfigSchema.Open, ConfigSchema.Open) { Defaults = declaration.Defaults };
        var directory = new ConfigReader(declaration.Source, $"{path}.source").RequiredString("path");
        var type = ExternalResourceType.Open(declaration.Name, directory, $"{path}.source.path", _processes);
        return new RegisteredResourceType(type, ConfigSchema.Open, ConfigSchema.Open, ConfigSchema.Open) { Defaults = declaration.Defaults };
    }

    private ImageResourceType FromImage(ResourceTypeDeclaration declaration, string path)
    {
        var image = ImageSource.From(declaration.Source, null, $"{path}.source");
        if (_containers is null)
        {
            throw ResourceException.Terminal($"{path}: resource type '{declaration.Name}' is a container image ({declaration.Type} {image.Reference}), and this " +
                                             "server runs no containers (--runtime process, or auto where podman does not work); start it with --runtime container");
        }
        var every = declaration.CheckEvery is { } text && GoDuration.TryParse(text.Trim(), out var parsed) && parsed > TimeSpan.Zero ? parsed : ContainerRuntime.DefaultImageMaxAge;
        return new ImageResourceType(declaration.Name, image, declaration.Privileged, every, _containers);
    }
}
