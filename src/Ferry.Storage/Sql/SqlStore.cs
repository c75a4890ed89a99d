using System.Data.Common;
using Dapper;
using Ferry.Storage.Events;
using Ferry.Storage.Environments;

namespace Ferry.Storage.Sql;

/// <summary>
/// The store over either dialect. The SQL is shared: both dialects speak ON CONFLICT, RETURNING, window functions and
/// TRUE/FALSE, and times are stored as Unix milliseconds; the <see cref="Dialect"/> covers the rest.
/// One partial file per concept (pipelines, resources, versions, builds, events).
/// </summary>
internal sealed partial class SqlStore : IStore
{
    private readonly Dialect _dialect;
    private readonly TimeProvider _clock;
    private readonly InProcessBuildEventNotifier _notifier = new();

    static SqlStore() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    private readonly SecretBox _secrets;
    private Keys.MasterKey? _master;

    public SqlStore(Dialect dialect, TimeProvider clock, SecretBox secrets, Keys.MasterKey? master = null)
    {
        _dialect = dialect;
        _clock = clock;
        _secrets = secrets;
        _master = master;
        Locks = dialect.CreateLocks();
    }

    public StoreDialect Dialect => _dialect.Kind;
    public IWorkLocks Locks { get; }
    public IBuildEventNotifier Notifier => _notifier;

    internal Dialect SqlDialect => _dialect;

    private long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> read, CancellationToken cancellationToken)
    {
        await using var connection = await _dialect.OpenAsync(cancellationToken);
        return await read(connection);
    }

    private async Task<T> WriteAsync<T>(Func<WriteScope, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var scope = await _dialect.BeginWriteAsync(cancellationToken);
        var result = await write(scope);
        await scope.CommitAsync(cancellationToken);
        return result;
    }

    private static CommandDefinition Cmd(string sql, object? parameters, CancellationToken cancellationToken, DbTransaction? transaction = null) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);

    private static CommandDefinition Cmd(WriteScope scope, string sql, object? parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, scope.Transaction, cancellationToken: cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_acrossNodes is not null)
            await _acrossNodes.DisposeAsync();
        await _dialect.DisposeAsync();
    }
}
