using Ferry.Core.Audit;
using Dapper;
using Ferry.Storage.Environments;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    public Task SetVariableAsync(int environmentId, string name, string? value, bool secret, string actor, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException($"setting a variable of environment {environmentId}: the key is empty", nameof(name));
        }
        return WriteAsync(async scope =>
        {
            var environment = await GetEnvironmentByIdAsync(scope.Connection, scope.Transaction, environmentId, cancellationToken)
                ?? throw new StoreException($"setting variable {name}: no environment with id {environmentId}");
            var stored = secret && value is not null ? _secrets.Seal(value, SecretContext(environmentId, name)) : value;
            await scope.Connection.ExecuteAsync(Cmd(scope,
                "INSERT INTO environment_variables (environment_id, name, value, secret, updated_at, updated_by) VALUES (@environmentId, @name, @stored, @secret, @now, @actor) " +
                "ON CONFLICT (environment_id, name) DO UPDATE SET value = excluded.value, secret = excluded.secret, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                new { environmentId = (long)environmentId, name, stored, secret, now = Now, actor }, cancellationToken));
            // The value never goes into the audit log, secret or not: values stay with the environment.
            await AuditAsync(scope, environment.PipelineId, environment.Name, actor, AuditActions.VariableSet, null, null,
                secret ? $"{name} (secret)" : name, cancellationToken);
            return 0;
        }, cancellationToken);
    }

    public Task<bool> DeleteVariableAsync(int environmentId, string name, string actor, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var environment = await GetEnvironmentByIdAsync(scope.Connection, scope.Transaction, environmentId, cancellationToken);
            var deleted = await scope.Connection.ExecuteAsync(Cmd(scope, "DELETE FROM environment_variables WHERE environment_id = @environmentId AND name = @name",
                new { environmentId = (long)environmentId, name }, cancellationToken)) > 0;
            if (deleted && environment is not null)
            {
                await AuditAsync(scope, environment.PipelineId, environment.Name, actor, AuditActions.VariableDeleted, null, null, name, cancellationToken);
            }
            return deleted;
        }, cancellationToken);

    public Task<IReadOnlyList<VariableRecord>> ListVariablesAsync(int environmentId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<VariableRecord>>(async c => [.. (await QueryVariablesAsync(c, environmentId, cancellationToken))
            .Select(v => new VariableRecord(v.Name, v.Secret ? null : v.Value, v.Secret, v.Value is not null, Col.Time(v.UpdatedAt), v.UpdatedBy))], cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetVariableValuesAsync(int environmentId, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyDictionary<string, string>>(async c => (await QueryVariablesAsync(c, environmentId, cancellationToken))
            .Where(v => v.Value is not null)
            .ToDictionary(v => v.Name, v => v.Secret ? _secrets.Open(v.Value!, SecretContext(environmentId, v.Name)) : v.Value!, StringComparer.Ordinal),
            cancellationToken);

    private static async Task<IEnumerable<VariableRow>> QueryVariablesAsync(System.Data.Common.DbConnection c, int environmentId, CancellationToken cancellationToken) =>
        await c.QueryAsync<VariableRow>(Cmd("SELECT name, value, secret, updated_at, updated_by FROM environment_variables WHERE environment_id = @environmentId ORDER BY name",
            new { environmentId = (long)environmentId }, cancellationToken));

    private static string SecretContext(int environmentId, string name) => $"ferry-variable:{environmentId}:{name}";
}
