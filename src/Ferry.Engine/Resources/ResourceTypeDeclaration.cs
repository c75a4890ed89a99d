using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources;

/// <summary>
/// One entry of a pipeline's <c>resource_types:</c>, as the pipeline model hands it to the registry: either an image
/// (<c>{name: slack, type: registry-image, source: {repository: …, tag: …}}</c>, run in a container as Concourse does)
/// or, without containers, <c>{name: my-type, type: exec, source: {path: /opt/resource/my-type}}</c>: a directory
/// holding the <c>check</c>, <c>in</c> and <c>out</c> executables. <c>defaults</c> is merged under each resource's
/// source, as in Concourse.
/// </summary>
public sealed record ResourceTypeDeclaration(string Name, string Type, JsonObject Source, JsonObject? Defaults = null)
{
    /// <summary>An image type's containers run privileged.</summary>
    public bool Privileged { get; init; }

    /// <summary>How often an image type's tag is looked up again (a Go duration); Concourse's one minute when null.</summary>
    public string? CheckEvery { get; init; }
}

/// <summary>A type ready to run, with the schemas its config is validated against.</summary>
public sealed record RegisteredResourceType(IResourceType Type, ConfigSchema Source, ConfigSchema GetParams, ConfigSchema PutParams)
{
    /// <summary>Source defaults from the pipeline's <c>resource_types</c> entry, if any.</summary>
    public JsonObject? Defaults { get; init; }

    public string Name => Type.Name;

    /// <summary>The resource's source with the type's defaults under it (the resource's own fields win).</summary>
    public JsonObject SourceWithDefaults(JsonObject source)
    {
        var merged = (JsonObject)source.DeepClone();
        foreach (var (name, value) in Defaults ?? [])
        {
            if (!merged.ContainsKey(name))
                merged[name] = value?.DeepClone();
        }

        return merged;
    }
}
