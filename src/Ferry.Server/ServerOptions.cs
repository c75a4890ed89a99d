namespace Ferry.Server;

/// <summary>
/// How <c>ferry server</c> was started: <c>--data</c>, <c>--db</c>, <c>--listen</c>, <c>--external-url</c> (or FERRY_DATA,
/// FERRY_DB, FERRY_LISTEN, FERRY_EXTERNAL_URL).
/// </summary>
public sealed record ServerOptions
{
    public const string DefaultDataDirectory = ".ferry";
    public const string DefaultListen = "http://127.0.0.1:8080";

    /// <summary>Where SQLite keeps its file and workers their work roots.</summary>
    public string DataDirectory { get; init; } = DefaultDataDirectory;

    /// <summary>A PostgreSQL connection string or postgres:// URL; SQLite under <see cref="DataDirectory"/> when null.</summary>
    public string? Connection { get; init; }

    /// <summary>One URL or several separated by ';'. Port 0 picks a free port (tests).</summary>
    public string Listen { get; init; } = DefaultListen;

    /// <summary>
    /// Where users and webhooks reach this server when that is not <see cref="Listen"/> (a proxy, a DNS name); null when
    /// they use the listen address. Requests naming another host are refused.
    /// </summary>
    public string? ExternalUrl { get; init; }

    /// <summary>This node's name (the machine name unless given); its id in the store is the name and a random suffix.</summary>
    public string NodeName { get; init; } = Environment.MachineName;

    /// <summary>
    /// The file with the master key (<c>--master-key-file</c>): the secrets key and the UI's keys then live in the
    /// database, wrapped by it, so every node given it shares them. Without it (and without <c>FERRY_MASTER_KEY</c>)
    /// they are files in the data directory.
    /// </summary>
    public string? MasterKeyFile { get; init; }

    /// <summary>The master key from <see cref="MasterKeyFile"/>, else from <c>FERRY_MASTER_KEY</c>; null when neither is given.</summary>
    public Ferry.Storage.Keys.MasterKey? MasterKey() =>
        MasterKeyFile is { } file ? Ferry.Storage.Keys.MasterKey.FromFile(file)
        : Environment.GetEnvironmentVariable(Ferry.Storage.Keys.MasterKey.EnvironmentVariable) is { Length: > 0 } text
            ? Ferry.Storage.Keys.MasterKey.Parse(text, Ferry.Storage.Keys.MasterKey.EnvironmentVariable)
            : null;

    /// <summary>Whether this server runs builds itself (untagged ones); false with <c>--no-embedded-worker</c>: remote workers run them all.</summary>
    public bool EmbeddedWorker { get; init; } = true;

    /// <summary>
    /// Whether this node's embedded worker takes builds: not with <c>--no-embedded-worker</c>, nor with
    /// <c>--build-capacity 0</c>. What the runner loop follows and what the node tells the others (workers, explain).
    /// </summary>
    public bool RunsBuilds => EmbeddedWorker && BuildCapacity > 0;

    /// <summary>How long a remote worker may go without a heartbeat before it is lost and its builds error (<c>--worker-timeout</c>).</summary>
    public TimeSpan WorkerTimeout { get; init; } = Ferry.Engine.Nodes.NodeLoopOptions.DefaultWorkerTimeout;

    /// <summary>How often the node loop beats and sweeps lost nodes and workers (tests shorten it).</summary>
    public TimeSpan NodeInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many builds the embedded worker runs at once.</summary>
    public int BuildCapacity { get; init; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>
    /// How long a clean stop waits for the builds running on this node before aborting them (<c>--drain-timeout</c>).
    /// 60 s lets a typical deploy step end, and with the abort and the rest of the stop stays within systemd's default
    /// 90 s before it kills; under Kubernetes give the pod a termination grace period longer than this.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = DefaultDrainTimeout;

    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(60);

    /// <summary>On an empty store, set up the hello example (a local git repository and its pipeline).</summary>
    public bool SeedExample { get; init; } = true;

    /// <summary>Whether to run the background loops (tests of the API alone turn them off).</summary>
    public bool RunLoops { get; init; } = true;

    /// <summary>How often the drift loop reads the flows of every instance an environment deploys into.</summary>
    public TimeSpan DriftInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where tasks that name an image and image resource types run (<c>--runtime</c>): containers when podman works, unless told.</summary>
    public Ferry.Engine.Containers.RuntimeKind Runtime { get; init; } = Ferry.Engine.Containers.RuntimeKind.Auto;

    /// <summary>Without containers, run a task that names an image on the host (with a warning) instead of failing it.</summary>
    public bool AllowImageTasksOnHost { get; init; }

    /// <summary>
    /// Lets every request in without a token, as a global owner (<c>--insecure-no-auth</c>): for a throw-away server on
    /// one's own machine only. The server warns at start and every page says so.
    /// </summary>
    public bool InsecureNoAuth { get; init; }

    /// <summary>The lowest level logged to the console.</summary>
    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>Options from the environment, with <paramref name="data"/>, <paramref name="db"/>, <paramref name="listen"/> and <paramref name="externalUrl"/> taking precedence.</summary>
    public static ServerOptions From(string? data, string? db, string? listen, string? externalUrl = null) => new()
    {
        DataDirectory = First(data, Environment.GetEnvironmentVariable("FERRY_DATA")) ?? DefaultDataDirectory,
        Connection = First(db, Environment.GetEnvironmentVariable("FERRY_DB")),
        Listen = First(listen, Environment.GetEnvironmentVariable("FERRY_LISTEN")) ?? DefaultListen,
        ExternalUrl = First(externalUrl, Environment.GetEnvironmentVariable("FERRY_EXTERNAL_URL"))?.TrimEnd('/'),
    };

    private static string? First(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
