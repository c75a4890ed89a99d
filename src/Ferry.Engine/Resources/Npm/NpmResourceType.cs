using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// The built-in <c>npm</c> type over the registry's HTTP API (npmjs.org, verdaccio, GitHub's, …): check lists a
/// package's versions (<see cref="NpmCheck"/>), get downloads, checks and unpacks one (<see cref="NpmGet"/>), put
/// publishes with a dist-tag or moves a dist-tag (<see cref="NpmPut"/>). Versions are <c>{version: "1.2.3"}</c>.
/// </summary>
internal sealed class NpmResourceType(TimeProvider time) : IResourceType
{
    public const string TypeName = "npm";

    public string Name => TypeName;

    public Task<IReadOnlyList<ResourceVersion>> CheckAsync(ResourceCall call, JsonObject source, ResourceVersion? from, CancellationToken cancellation) =>
        NpmCheck.CheckAsync(NpmSource.Parse(source), from, cancellation);

    public Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject source, ResourceVersion version, JsonObject @params, string directory, CancellationToken cancellation) =>
        NpmGet.GetAsync(call, source, version, @params, directory, cancellation);

    /// <summary>Nightly versions are stamped with <paramref name="time"/>'s now (tests pass a fixed clock).</summary>
    public Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject source, JsonObject @params, string artifactsRoot, CancellationToken cancellation) =>
        NpmPut.PutAsync(call, source, @params, artifactsRoot, time, cancellation);
}
