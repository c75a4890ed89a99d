using System.Data.Common;
using Dapper;
using Ferry.Storage.Locking;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Storage.Sql;

/// <summary>PostgreSQL through one pooled <see cref="NpgsqlDataSource"/>; several server nodes may share the database.</summary>
internal sealed class PostgresDialect(NpgsqlDataSource dataSource) : Dialect
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public override StoreDialect Kind => StoreDialect.Postgres;
    public override string MigrationsFolder => "Postgres";
    public override string ForUpdate => " FOR UPDATE";
    public override string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await DataSource.OpenConnectionAsync(cancellationToken);

    public override async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new WriteScope(connection, transaction, null);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);

    public override IWorkLocks CreateLocks() => new PostgresWorkLocks(DataSource);

    // A sequence hands out ids when a row is inserted, not when it commits: a transaction that took id 100 can commit
    // after one that took 101, so a reader that saw 101 must look below it again until every transaction open then ended.
    public override async Task<TransactionHorizon?> SnapshotHorizonAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var (oldest, next) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, pg_snapshot_xmax(pg_current_snapshot())::text::bigint",
            transaction: transaction, cancellationToken: cancellationToken));
        return new TransactionHorizon(oldest, next);
    }

    public override async Task<long?> NextTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint", cancellationToken: cancellationToken));

    public override async Task AppendEventRowsAsync(WriteScope scope, IReadOnlyList<EventRow> rows, CancellationToken cancellationToken)
    {
        // Binary COPY: one round trip for the whole batch, the fastest way into PostgreSQL.
        var connection = (NpgsqlConnection)scope.Connection;
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY build_events (build_id, seq, time, type, step_id, stream, text, payload) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(row.BuildId, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(row.Seq, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(row.Time, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(row.Type, NpgsqlDbType.Text, cancellationToken);
            await WriteNullableAsync(importer, row.StepId, cancellationToken);
            await WriteNullableAsync(importer, row.Stream, cancellationToken);
            await WriteNullableAsync(importer, row.Text, cancellationToken);
            await WriteNullableAsync(importer, row.Payload, cancellationToken);
        }
        await importer.CompleteAsync(cancellationToken);
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await importer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
        }
    }

    public override ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
