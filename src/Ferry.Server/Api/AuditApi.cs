using Ferry.Engine.Promoting;
using Ferry.Server.Auth;
using Ferry.Storage;

namespace Ferry.Server.Api;

/// <summary>The audit log across pipelines, destroyed ones included (a pipeline's own is also at <c>/pipelines/{p}/audit</c>).</summary>
internal static class AuditApi
{
    public const int MaxLimit = 5000;

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/audit", ListAsync).WithTags("Audit").WithName("ListAllAudit")
            .WithSummary("Every pipeline's audit entries newest first, or those of every pipeline named ?pipeline= (destroyed ones too), with the destroys.");

    /// <summary>
    /// A global owner reads every entry, destroyed pipelines' and users' and tokens' included; anyone else the entries
    /// of the pipelines they may see now.
    /// </summary>
    private static async Task<IReadOnlyList<AuditView>> ListAsync(IStore store, Access access, string? pipeline, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
        {
            throw ApiException.BadRequest("limit", $"limit must be between 1 and {MaxLimit}, not {limit}");
        }
        var entries = await store.ListAuditLogAsync(string.IsNullOrWhiteSpace(pipeline) ? null : pipeline, limit ?? 200, ct);
        if (!access.Who.IsOwner)
        {
            var visible = (await access.VisiblePipelinesAsync(ct)).Select(p => p.Pipeline.Name).ToHashSet(StringComparer.Ordinal);
            entries = [.. entries.Where(e => visible.Contains(e.Pipeline))];
        }
        return [.. entries.Select(AuditView.Of)];
    }
}
