using System.Data.Common;

namespace Ferry.Storage.Sql;

/// <summary>What differs between SQLite and PostgreSQL: connections, write serialisation and a few statements.</summary>
internal abstract class Dialect : IAsyncDisposable
{
    public abstract StoreDialect Kind { get; }

    /// <summary>The folder of embedded migrations (<c>Migrations/Sqlite</c> or <c>Migrations/Postgres</c>).</summary>
    public abstract string MigrationsFolder { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins a write transaction; SQLite also takes the process-wide writer gate so writers queue instead of failing busy.</summary>
    public abstract Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>A read-only transaction whose reads agree with each other (a snapshot), without blocking writers.</summary>
    public abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Appended to a SELECT that must lock the rows it reads until commit (PostgreSQL); SQLite holds the write lock already.</summary>
    public abstract string ForUpdate { get; }

    /// <summary>Appended to the SELECT that picks the next pending build, so concurrent claimers skip each other's rows.</summary>
    public abstract string ForUpdateSkipLocked { get; }

    public abstract IWorkLocks CreateLocks();

    public abstract Task AppendEventRowsAsync(WriteScope scope, IReadOnlyList<EventRow> rows, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

/// <summary>An open connection with its write transaction; disposing without <see cref="CommitAsync"/> rolls back.</summary>
internal sealed class WriteScope(DbConnection connection, DbTransaction transaction, IDisposable? gate) : IAsyncDisposable
{
    public DbConnection Connection { get; } = connection;
    public DbTransaction Transaction { get; } = transaction;

    public Task CommitAsync(CancellationToken cancellationToken) => Transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            gate?.Dispose();
        }
    }
}
