using Ferry.Core.Versions;

namespace Ferry.Engine.Resources.RegistryImage;

/// <summary>
/// check, as Concourse's registry-image type does it. Versions are <c>{tag, digest}</c>, oldest first.
/// <list type="bullet">
/// <item><c>tag</c>: the digest the tag names now, preceded by <c>from</c> when the tag moved and the old digest still exists.</item>
/// <item><c>tag_regex</c>: every matching tag in the registry's order (or by the image's creation time with <c>created_at_sort</c>).</item>
/// <item>neither: semver tags in semver order, each digest once under its most specific tag, then the bare <c>latest</c>
/// (or <c>variant</c>) tag when no semver tag has its digest and there is no constraint.</item>
/// </list>
/// </summary>
internal static class RegistryImageCheck
{
    public static async Task<IReadOnlyList<ResourceVersion>> CheckAsync(RegistryImageSource source, ResourceVersion? from, BlobCache cache, CancellationToken cancellation)
    {
        var client = new RegistryClient(source, push: false);
        if (source.Tag is { } tag)
            return await TagAsync(client, tag, from, cancellation);
        if (source.TagRegex is not null)
            return await RegexAsync(client, source, cache, cancellation);
        return await SemverAsync(client, source, from, cancellation);
    }

    public static ResourceVersion Version(string tag, string digest) =>
        new(new Dictionary<string, string> { ["tag"] = tag, ["digest"] = digest });

    private static async Task<IReadOnlyList<ResourceVersion>> TagAsync(RegistryClient client, string tag, ResourceVersion? from, CancellationToken cancellation)
    {
        var digest = await client.HeadManifestAsync(tag, cancellation);
        if (digest is null)
        {
            // A tag not pushed yet is no error (Concourse reports no version); a repository that is not there is.
            await client.EnsureRepositoryAsync(cancellation);
            return [];
        }
        var versions = new List<ResourceVersion>();
        if (from?.Version.GetValueOrDefault("digest") is { } previous && previous != digest && await client.HeadManifestAsync(previous, cancellation) is not null)
            versions.Add(Version(tag, previous));
        versions.Add(Version(tag, digest));
        return versions;
    }

    private static async Task<IReadOnlyList<ResourceVersion>> RegexAsync(RegistryClient client, RegistryImageSource source, BlobCache cache, CancellationToken cancellation)
    {
        var matched = new List<(string Tag, string Digest, DateTimeOffset Created)>();
        foreach (var tag in await client.ListTagsAsync(cancellation))
        {
            if (!source.TagRegex!.IsMatch(tag) || await client.HeadManifestAsync(tag, cancellation) is not { } digest)
                continue;
            var created = source.CreatedAtSort ? await ImageConfigs.CreatedAsync(client, cache, source, digest, cancellation) : default;
            matched.Add((tag, digest, created));
        }
        if (source.CreatedAtSort)
            matched = [.. matched.OrderBy(m => m.Created)];
        return [.. matched.Select(m => Version(m.Tag, m.Digest))];
    }

    private static async Task<IReadOnlyList<ResourceVersion>> SemverAsync(RegistryClient client, RegistryImageSource source, ResourceVersion? from, CancellationToken cancellation)
    {
        var tags = (await client.ListTagsAsync(cancellation)).ToList();
        var fromTag = from?.Version.GetValueOrDefault("tag");
        // The from tag first: when it still names its digest, lower versions need no digest lookup.
        if (fromTag is not null && tags.Remove(fromTag))
            tags.Insert(0, fromTag);
        var bare = source.Variant ?? "latest";
        string? bareDigest = null;
        var byDigest = new Dictionary<string, (Semver Version, string Tag)>(StringComparer.Ordinal);
        Semver? cursor = null;
        foreach (var tag in tags)
        {
            Semver? version = null;
            if (tag != bare)
            {
                version = Candidate(tag, source);
                if (version is null || (cursor is not null && cursor.CompareTo(version) >= 0))
                    continue;
            }
            if (await client.HeadManifestAsync(tag, cancellation) is not { } digest)
                continue;
            if (version is null)
            {
                bareDigest = digest;
                continue;
            }
            if (!byDigest.TryGetValue(digest, out var existing) || Prefer(version, existing.Version))
                byDigest[digest] = (version, tag);
            if (tag == fromTag && digest == from!.Version.GetValueOrDefault("digest"))
                cursor = version;
        }
        var versions = byDigest.OrderBy(p => p.Value.Version).Select(p => Version(p.Value.Tag, p.Key)).ToList();
        if (bareDigest is not null && !byDigest.ContainsKey(bareDigest) && source.Constraint is null)
            versions.Add(Version(bare, bareDigest));
        return versions;
    }

    /// <summary>The tag's version when it is a semver tag this source follows (its variant, its constraint, pre-releases if asked).</summary>
    private static Semver? Candidate(string tag, RegistryImageSource source)
    {
        var text = tag;
        if (source.Variant is { } variant)
        {
            if (!tag.EndsWith("-" + variant, StringComparison.Ordinal))
                return null;
            text = tag[..^(variant.Length + 1)];
        }
        if (Semver.TryParse(text) is not { } version)
            return null;
        if (source.Constraint is { } constraint && !constraint.Check(version))
            return null;
        var pre = version.Prerelease;
        // "1.2.3-alpine" is a variant, not a pre-release: only alpha, beta and rc count as pre-releases.
        if (pre.Length > 0 && (!source.PreReleases || pre.Contains('-', StringComparison.Ordinal) ||
                               !(pre.StartsWith("alpha", StringComparison.Ordinal) || pre.StartsWith("beta", StringComparison.Ordinal) || pre.StartsWith("rc", StringComparison.Ordinal))))
            return null;
        return version;
    }

    // Of two tags of one digest: a final version over a pre-release, else the more specific one (1.2.3 over its alias 1.2).
    private static bool Prefer(Semver candidate, Semver existing)
    {
        if (existing.Prerelease.Length == 0 && candidate.Prerelease.Length > 0)
            return false;
        if (existing.Prerelease.Length > 0 && candidate.Prerelease.Length == 0)
            return true;
        return candidate.Specificity > existing.Specificity;
    }
}
