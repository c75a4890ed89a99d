using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>A resource's versions: list (newest first, or the one matching ?version=k:v), enable, disable.</summary>
internal static class VersionsApi
{
    public static void Map(RouteGroupBuilder resources)
    {
        resources.MapGet("/{resource}/versions", ListAsync).WithName("ListVersions")
            .WithSummary("Versions newest first; page with before (a check order); version=k:v,k2:v2 finds one version.");
        resources.MapGet("/{resource}/versions/{id:long}", GetAsync).WithName("GetVersion");
        resources.MapPut("/{resource}/versions/{id:long}/enable", (IStore store, string pipeline, string resource, long id, CancellationToken ct) =>
            SetDisabledAsync(store, pipeline, resource, id, false, ct)).WithName("EnableVersion");
        resources.MapPut("/{resource}/versions/{id:long}/disable", (IStore store, string pipeline, string resource, long id, CancellationToken ct) =>
            SetDisabledAsync(store, pipeline, resource, id, true, ct)).WithName("DisableVersion");
    }

    private static async Task<VersionPageModel> ListAsync(
        IStore store, string pipeline, string resource, int? limit, long? before, string? version, CancellationToken ct)
    {
        var (_, r) = await store.ResourceAsync(pipeline, resource, ct);
        if (version is not null)
        {
            var fields = Parse(version);
            var found = await VersionLookup.FindAsync(store, pipeline, r, fields, ct);
            return new VersionPageModel([VersionSummary.From(found)], null);
        }
        if (limit is < 1 or > 1000)
        {
            throw ApiException.BadRequest("limit", $"limit must be between 1 and 1000, not {limit}");
        }
        var page = await store.ListVersionsAsync(r.Id, new VersionPageRequest(limit ?? 100, before), ct);
        return new VersionPageModel([.. page.Versions.Select(VersionSummary.From)], page.NextBeforeCheckOrder);
    }

    private static async Task<VersionSummary> GetAsync(IStore store, string pipeline, string resource, long id, CancellationToken ct)
    {
        var (_, r) = await store.ResourceAsync(pipeline, resource, ct);
        return VersionSummary.From(await store.VersionAsync(r, pipeline, id, ct));
    }

    private static async Task<VersionSummary> SetDisabledAsync(IStore store, string pipeline, string resource, long id, bool disabled, CancellationToken ct)
    {
        var (_, r) = await store.ResourceAsync(pipeline, resource, ct);
        await store.VersionAsync(r, pipeline, id, ct);
        await store.SetVersionDisabledAsync(id, disabled, ct);
        return VersionSummary.From(await store.VersionAsync(r, pipeline, id, ct));
    }

    /// <summary><c>ref:abc,branch:main</c> → fields; a value may hold ':'.</summary>
    internal static Dictionary<string, string> Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw ApiException.BadRequest("version", $"version '{text}' must be key:value[,key:value]");
            }
            fields[part[..colon]] = part[(colon + 1)..];
        }
        return fields.Count > 0 ? fields : throw ApiException.BadRequest("version", "version must not be empty");
    }

    internal static string Describe(IReadOnlyDictionary<string, string> fields) =>
        string.Join(",", fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}:{f.Value}"));
}
