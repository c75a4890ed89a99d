using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>
/// Finds the version a user names by some of its fields (<c>ref:5e1c…</c>): exactly, or, as git takes a short sha, by a
/// unique prefix of each value. An ambiguous prefix is refused with the versions it matches.
/// </summary>
internal static class VersionLookup
{
    /// <summary>Shorter values than this are no prefixes: "ref:a" would match by accident.</summary>
    private const int ShortestPrefix = 4;

    /// <summary>How far back a prefix is looked for, newest first.</summary>
    private const int Searched = 10_000;

    public static async Task<VersionRecord> FindAsync(IStore store, string pipeline, ResourceRecord resource, IReadOnlyDictionary<string, string> fields,
        CancellationToken ct)
    {
        if (await store.FindVersionAsync(resource.Id, fields, ct) is { } exact)
        {
            return exact;
        }
        var matches = new List<VersionRecord>();
        if (fields.Values.All(v => v.Length >= ShortestPrefix))
        {
            long? before = null;
            for (var seen = 0; seen < Searched && matches.Count < 2;)
            {
                var page = await store.ListVersionsAsync(resource.Id, new VersionPageRequest(500, before), ct);
                matches.AddRange(page.Versions.Where(v => StartsWith(v.Version.Version, fields)));
                seen += page.Versions.Count;
                if (page.NextBeforeCheckOrder is not { } next)
                {
                    break;
                }
                before = next;
            }
        }
        return matches switch
        {
            [var one] => one,
            [] => throw ApiException.NotFound($"version {VersionsApi.Describe(fields)} of resource '{pipeline}/{resource.Name}' not found"),
            _ => throw ApiException.Conflict($"version {VersionsApi.Describe(fields)} of resource '{pipeline}/{resource.Name}' is ambiguous: it starts " +
                                             $"{string.Join(" and ", matches.Take(2).Select(m => VersionsApi.Describe(m.Version.Version)))}; give more of it"),
        };
    }

    private static bool StartsWith(IReadOnlyDictionary<string, string> version, IReadOnlyDictionary<string, string> fields) =>
        fields.All(f => version.TryGetValue(f.Key, out var value) && value.StartsWith(f.Value, StringComparison.Ordinal));
}
