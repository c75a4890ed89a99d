using System.Globalization;
using Dapper;
using Ferry.Storage.Builds;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    public Task<IReadOnlyList<VersionUse>> ListVersionUsesAsync(IReadOnlyCollection<long> versionIds, int perVersion, CancellationToken cancellationToken = default)
    {
        if (versionIds.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<VersionUse>>([]);
        }
        // Ids are integers, so they go into the text as they are (one statement whatever the page's size).
        var ids = string.Join(",", versionIds.Distinct().Select(i => i.ToString(CultureInfo.InvariantCulture)));
        // Both tables are indexed by version_id; the window keeps the newest few per version and kind, however often a version was built.
        var sql =
            "SELECT u.version_id, u.output, b.id AS build_id, j.name AS job_name, b.name AS build_name, b.status, b.created_at FROM (" +
            "SELECT version_id, output, build_id, ROW_NUMBER() OVER (PARTITION BY version_id, output ORDER BY build_id DESC) AS n FROM (" +
            $"SELECT DISTINCT version_id, 0 AS output, build_id FROM build_inputs WHERE version_id IN ({ids}) " +
            $"UNION ALL SELECT version_id, 1 AS output, build_id FROM build_outputs WHERE version_id IN ({ids})) a) u " +
            "JOIN builds b ON b.id = u.build_id LEFT JOIN jobs j ON j.id = b.job_id " +
            "WHERE u.n <= @perVersion ORDER BY u.version_id DESC, u.output, b.id DESC";
        return ReadAsync<IReadOnlyList<VersionUse>>(async c => [.. (await c.QueryAsync<VersionUseRow>(Cmd(sql, new { perVersion = (long)Math.Clamp(perVersion, 1, 1000) },
            cancellationToken))).Select(r => new VersionUse(r.VersionId, r.Output != 0, r.BuildId, r.JobName, r.BuildName, StatusText.Parse(r.Status), Col.Time(r.CreatedAt)))],
            cancellationToken);
    }

    private sealed class VersionUseRow
    {
        public long VersionId { get; set; }
        public long Output { get; set; }
        public long BuildId { get; set; }
        public string? JobName { get; set; }
        public string BuildName { get; set; } = "";
        public string Status { get; set; } = "";
        public long CreatedAt { get; set; }
    }
}
