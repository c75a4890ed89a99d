using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ferry.Benchmarks.Budgets;

/// <summary>
/// The PostgreSQL a figure needs: FERRY_TEST_POSTGRES when set, else a throw-away cluster of Debian's PostgreSQL 15
/// (as ./test.sh starts one) on a free loopback port, with its default durability (fsync, synchronous_commit on).
/// </summary>
internal sealed class LocalPostgres : IDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string? _data;

    private LocalPostgres(string connection, string? data)
    {
        Connection = connection;
        _data = data;
    }

    public string Connection { get; }

    /// <summary>The postmaster's pid (its data directory's postmaster.pid), or null for the FERRY_TEST_POSTGRES given.</summary>
    public int? ServerPid => _data is null
        ? null
        : int.Parse(File.ReadLines(Path.Combine(_data, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    public static LocalPostgres Start()
    {
        if (Environment.GetEnvironmentVariable("FERRY_TEST_POSTGRES") is { Length: > 0 } given)
            return new LocalPostgres(given, null);
        if (!File.Exists(Path.Combine(Bin, "pg_ctl")))
            throw new InvalidOperationException($"no PostgreSQL: set FERRY_TEST_POSTGRES, or install postgresql-15 ({Bin}) as ./test.sh does");
        var root = Directory.CreateTempSubdirectory("ferry-bench-pg-").FullName;
        var data = Path.Combine(root, "data");
        var port = FreePort();
        Run("chown", "postgres", root);
        Run("runuser", "-u", "postgres", "--", Path.Combine(Bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust");
        Run("runuser", "-u", "postgres", "--", Path.Combine(Bin, "pg_ctl"), "-D", data, "-l", Path.Combine(root, "pg.log"), "-w",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k /tmp", "start");
        return new LocalPostgres($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres", data);
    }

    public void Dispose()
    {
        if (_data is null)
            return;
        Run("runuser", "-u", "postgres", "--", Path.Combine(Bin, "pg_ctl"), "-D", _data, "-m", "immediate", "stop");
        Directory.Delete(Path.GetDirectoryName(_data)!, recursive: true);
    }

    private static void Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result.Trim()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
