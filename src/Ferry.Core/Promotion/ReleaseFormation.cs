namespace Ferry.Core.Promotion;

/// <summary>
/// Forms a first environment's releases from a successful build of its <c>from</c> jobs: the build's versions
/// (inputs and outputs, the outputs winning), restricted to the environment's <c>release:</c> resources.
/// </summary>
public static class ReleaseFormation
{
    /// <returns>The release, or null when the build does not carry every release resource (nothing to form yet).</returns>
    public static Release? FromBuild(IReadOnlyList<string> releaseResources, IEnumerable<ReleaseItem> buildVersions)
    {
        var byResource = new Dictionary<string, ReleaseItem>(StringComparer.Ordinal);
        foreach (var item in buildVersions)
        {
            byResource[item.Resource] = item;
        }
        var items = new List<ReleaseItem>();
        foreach (var resource in releaseResources.Distinct())
        {
            if (!byResource.TryGetValue(resource, out var item))
            {
                return null;
            }
            items.Add(item);
        }
        return items.Count == 0 ? null : Release.Create(items);
    }
}
