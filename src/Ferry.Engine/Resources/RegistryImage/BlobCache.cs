namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// Blobs (layers and configs) by digest under the resource cache (<c>WorkRoot/registry-image/blobs/sha256/</c>), so a
/// second get of an image, or of another image sharing its layers, downloads nothing again. A blob is written to a
/// temporary name and renamed into place, so a reader never sees half a blob.
/// </summary>
internal sealed class BlobCache(string workRoot)
{
    private readonly string _root = Path.Combine(workRoot, "registry-image", "blobs", "sha256");

    public string PathOf(string digest) => Path.Combine(_root, Digests.Hex(digest));

    /// <summary>The blob's file, downloaded first when it is not cached.</summary>
    public async Task<string> GetAsync(RegistryClient client, string digest, CancellationToken cancellation)
    {
        var path = PathOf(digest);
        if (File.Exists(path))
            return path;
        Directory.CreateDirectory(_root);
        var partial = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await client.DownloadBlobAsync(digest, partial, cancellation);
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        return path;
    }
}
