using System.Text;
using Dapper;
using Ferry.Storage.Keys;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    private sealed class KeyRow
    {
        public string Name { get; set; } = "";
        public string Wrapped { get; set; } = "";
    }

    public bool HasKeyRing => _master is not null;

    private MasterKey Master => _master ?? throw new StoreException("this store was opened without a master key: it has no key ring (start the server with --master-key-file)");

    public Task<IReadOnlyList<string>> ListProtectionKeysAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<string>>(async c =>
        {
            var master = Master;
            var rows = await c.QueryAsync<KeyRow>(Cmd(
                "SELECT name, wrapped FROM key_ring WHERE purpose = 'data-protection' ORDER BY created_at, name", null, cancellationToken));
            return rows.Select(r => Encoding.UTF8.GetString(master.Unwrap(r.Wrapped, r.Name))).ToList();
        }, cancellationToken);

    public Task AddProtectionKeyAsync(string name, string xml, CancellationToken cancellationToken = default) =>
        WriteAsync(async scope =>
        {
            var entry = KeyRing.ProtectionPrefix + name;
            return await scope.Connection.ExecuteAsync(Cmd(scope,
                "INSERT INTO key_ring (name, purpose, wrapped, created_at) VALUES (@entry, 'data-protection', @wrapped, @now) ON CONFLICT (name) DO NOTHING",
                new { entry, wrapped = Master.Wrap(Encoding.UTF8.GetBytes(xml), entry), now = Now }, cancellationToken));
        }, cancellationToken);

    public async Task<int> RotateMasterKeyAsync(MasterKey next, CancellationToken cancellationToken = default)
    {
        var count = await WriteAsync(async scope =>
        {
            var rows = (await scope.Connection.QueryAsync<KeyRow>(Cmd(scope,
                $"SELECT name, wrapped FROM key_ring ORDER BY name{_dialect.ForUpdate}", null, cancellationToken))).ToList();
            foreach (var row in rows)
            {
                await scope.Connection.ExecuteAsync(Cmd(scope, "UPDATE key_ring SET wrapped = @wrapped WHERE name = @name",
                    new { name = row.Name, wrapped = next.Wrap(Master.Unwrap(row.Wrapped, row.Name), row.Name) }, cancellationToken));
            }
            return rows.Count;
        }, cancellationToken);
        // What this store wraps from now on opens with the new key, as on every node started after the rotation.
        _master = next;
        return count;
    }
}
