using System.Text.Json.Nodes;
using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// The built-in <c>registry-image</c> type, the one Concourse ships, in C# over the registry HTTP API v2: check follows
/// a tag's digest or a repository's semver tags (<see cref="RegistryImageCheck"/>), get fetches an image as a rootfs or
/// an OCI tarball (<see cref="RegistryImageGet"/>), put pushes one (<see cref="RegistryImagePut"/>). A registry on a
/// loopback address speaks plain HTTP, as in Concourse; others HTTPS unless <c>insecure: true</c>.
/// </summary>
internal sealed class RegistryImageResourceType : IResourceType
{
    public const string TypeName = "registry-image";

    public string Name => TypeName;

    public Task<IReadOnlyList<ResourceVersion>> CheckAsync(ResourceCall call, JsonObject source, ResourceVersion? from, CancellationToken cancellation) =>
        RegistryImageCheck.CheckAsync(RegistryImageSource.Parse(source), from, new BlobCache(call.WorkRoot), cancellation);

    public Task<ResourceVersion> GetAsync(ResourceCall call, JsonObject source, ResourceVersion version, JsonObject @params, string directory, CancellationToken cancellation) =>
        RegistryImageGet.GetAsync(call, source, version, @params, directory, cancellation);

    public Task<ResourceVersion> PutAsync(ResourceCall call, JsonObject source, JsonObject @params, string artifactsRoot, CancellationToken cancellation) =>
        RegistryImagePut.PutAsync(call, source, @params, artifactsRoot, cancellation);
}
