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

    /// <summary>
    /// For reads that resume "after the highest id seen": the oldest transaction still open in <paramref name="transaction"/>'s
    /// snapshot and the first one not yet started. Null where writers commit in id order (SQLite has one writer at a
    /// time, so a reader that saw id n will never later see a new row below n).
    /// </summary>
    public abstract Task<TransactionHorizon?> SnapshotHorizonAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>The first transaction id not yet started, outside any snapshot (PostgreSQL); null where writers commit in id order.</summary>
    public abstract Task<long?> NextTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    public abstract Task AppendEventRowsAsync(WriteScope scope, IReadOnlyList<EventRow> rows, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}

/// <summary>Transactions <paramref name="Oldest"/> .. <paramref name="Next"/> - 1 may still be open; all before <paramref name="Oldest"/> ended.</summary>
internal readonly record struct TransactionHorizon(long Oldest, long Next);

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
