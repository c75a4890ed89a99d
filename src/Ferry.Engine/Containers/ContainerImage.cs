namespace Ferry.Engine.Containers;

/// <summary>What a container runs from: an image podman holds, or a root filesystem in a directory.</summary>
public abstract record ContainerImage
{
    /// <summary>How the log and errors name it.</summary>
    public abstract string Description { get; }
}

/// <summary>An image in podman's storage, pulled from <see cref="Reference"/>; runs by its id, so a retag meanwhile changes nothing.</summary>
/// <param name="Digest">The manifest digest it was pulled at (<c>sha256:…</c>).</param>
public sealed record StoredImage(string Reference, string Id, string Digest) : ContainerImage
{
    public override string Description => Digest.Length > 0 ? $"{Reference}@{Digest}" : Reference;
}

/// <summary>
/// A root filesystem a step fetched (Concourse's <c>image:</c> artifact, <c>rootfs/</c> plus <c>metadata.json</c>).
/// It runs through an overlay: the container's writes never reach the artifact.
/// </summary>
/// <param name="Environment">The image's environment (<c>metadata.json</c>'s <c>env</c>); the step's own variables win.</param>
/// <param name="User">The image's user, unless the step names one.</param>
public sealed record RootfsImage(string Path, IReadOnlyDictionary<string, string> Environment, string? User, string Name) : ContainerImage
{
    public override string Description => $"artifact '{Name}'";
}
