using Dapper;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    public Task<int?> GetBuildConfigNumberAsync(long buildId, CancellationToken cancellationToken = default) =>
        ReadAsync(async c => (int?)await c.ExecuteScalarAsync<long?>(Cmd(
            "SELECT config_number FROM builds WHERE id = @buildId", new { buildId }, cancellationToken)), cancellationToken);
}
