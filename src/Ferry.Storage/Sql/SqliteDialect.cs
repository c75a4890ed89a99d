using System.Data.Common;
using Ferry.Storage.Locking;
using Microsoft.Data.Sqlite;

namespace Ferry.Storage.Sql;

/// <summary>
/// One SQLite file in WAL mode. Readers run in parallel; writers queue on an in-process gate, so they never
/// meet SQLITE_BUSY from each other (the busy timeout covers other processes on the same file).
/// </summary>
internal sealed class SqliteDialect : Dialect
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);

    public SqliteDialect(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = 30,
            Mode = SqliteOpenMode.ReadWriteCreate,
        }.ToString();
    }

    public string Path { get; }

    public override StoreDialect Kind => StoreDialect.Sqlite;
    public override string MigrationsFolder => "Sqlite";
    public override string ForUpdate => "";
    public override string ForUpdateSkipLocked => "";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // WAL is a property of the file: set once, every later connection uses it.
        command.CommandText = "PRAGMA journal_mode=WAL;";
        var mode = (string?)await command.ExecuteScalarAsync(cancellationToken);
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new StoreException($"opening the SQLite store {Path}: could not switch to WAL mode (journal mode is {mode})");
        }
    }

    /// <summary>
    /// Rewrites the file without its free pages and empties the WAL: after values were replaced (secrets sealed), the old
    /// text would otherwise stay readable in pages SQLite no longer uses.
    /// </summary>
    public async Task CompactAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            // Per connection: wait for other processes' locks. NORMAL in WAL mode: a commit survives the server being
            // killed (it is in the WAL before COMMIT returns); only an OS crash or power cut may lose the last commits.
            // FULL would fsync every commit and cap log ingest at a few MB/s on a busy disk.
            command.CommandText = "PRAGMA busy_timeout=10000; PRAGMA synchronous=NORMAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override async Task<WriteScope> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        var gate = new Gate(_writer);
        try
        {
            var connection = await OpenAsync(cancellationToken);
            // Microsoft.Data.Sqlite begins IMMEDIATE unless asked for deferred: the write lock is taken now, not on first write.
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new WriteScope(connection, transaction, gate);
        }
        catch
        {
            gate.Dispose();
            throw;
        }
    }

    public override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken) =>
        // Deferred: a WAL reader sees one snapshot from its first read on and takes no write lock.
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override IWorkLocks CreateLocks() => new InProcessWorkLocks();

    public override Task<TransactionHorizon?> SnapshotHorizonAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        Task.FromResult<TransactionHorizon?>(null);

    public override Task<long?> NextTransactionAsync(DbConnection connection, CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    public override async Task AppendEventRowsAsync(WriteScope scope, IReadOnlyList<EventRow> rows, CancellationToken cancellationToken)
    {
        await using var command = scope.Connection.CreateCommand();
        command.Transaction = scope.Transaction;
        command.CommandText =
            "INSERT INTO build_events (build_id, seq, time, type, step_id, stream, text, payload) VALUES ($b, $s, $t, $y, $i, $r, $x, $p)";
        var parameters = new[] { "$b", "$s", "$t", "$y", "$i", "$r", "$x", "$p" }
            .Select(name => { var p = command.CreateParameter(); p.ParameterName = name; command.Parameters.Add(p); return p; })
            .ToArray();
        command.Prepare();
        foreach (var row in rows)
        {
            parameters[0].Value = row.BuildId;
            parameters[1].Value = row.Seq;
            parameters[2].Value = row.Time;
            parameters[3].Value = row.Type;
            parameters[4].Value = (object?)row.StepId ?? DBNull.Value;
            parameters[5].Value = (object?)row.Stream ?? DBNull.Value;
            parameters[6].Value = (object?)row.Text ?? DBNull.Value;
            parameters[7].Value = (object?)row.Payload ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open (and the WAL unmerged) until the pool is cleared.
        SqliteConnection.ClearAllPools();
        _writer.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Gate(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
