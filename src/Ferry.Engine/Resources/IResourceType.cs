using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources;

/// <summary>
/// How to check, get and put one kind of resource (Concourse's check/in/out). Built-in types are C#;
/// external ones run executables speaking Concourse's JSON protocol. Every call gets the resource's
/// <c>source</c> after <c>((var))</c> interpolation.
/// </summary>
public interface IResourceType
{
    /// <summary>The name pipelines use in <c>type:</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Versions newer than <paramref name="from"/>, oldest first; with no <paramref name="from"/>, the current
    /// version only (or none). As in Concourse, the list starts with <paramref name="from"/> itself when it
    /// still exists.
    /// </summary>
    Task<IReadOnlyList<ResourceVersion>> CheckAsync(ResourceCall call, JsonObject source, ResourceVersion? from, CancellationToken cancellation);

    /// <summary>Fetches <paramref name="version"/> into <paramref name="directory"/> (empty, created by the caller).</summary>
    Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject source, ResourceVersion version, JsonObject @params, string directory, CancellationToken cancellation);

    /// <summary>
    /// Pushes from the build's artifacts; <paramref name="artifactsRoot"/> holds one directory per artifact name
    /// (as Concourse's out script sees its working directory). Returns the version it created.
    /// </summary>
    Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject source, JsonObject @params, string artifactsRoot, CancellationToken cancellation);
}

/// <summary>What a check, get or put runs within: where its own stderr goes and the build's metadata.</summary>
/// <param name="Log">Receives the type's progress output (an external type's stderr); never null.</param>
/// <param name="Environment">Build metadata for the type (BUILD_ID, BUILD_NAME, BUILD_JOB_NAME, BUILD_PIPELINE_NAME, ATC_EXTERNAL_URL …).</param>
/// <param name="WorkRoot">A scratch directory the type may use for caches (for git: the clone it fetches into).</param>
public sealed record ResourceCall(TextWriter Log, IReadOnlyDictionary<string, string> Environment, string WorkRoot);
