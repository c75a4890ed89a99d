using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Tests.LocalServers;

/// <summary>
/// A real Node-RED (npm <c>node-red@4</c>) on 127.0.0.1 with its own user directory, killed with its process tree
/// at the end. The executable is FERRY_TEST_NODE_RED, else the one ./test.sh installs under .tools/node-red.
/// </summary>
internal sealed class NodeRedInstance : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeRedInstance(string root, int port, Process process)
    {
        Root = root;
        Url = $"http://127.0.0.1:{port}";
        _process = process;
    }

    public string Root { get; }

    public string Url { get; }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>The node-red executable, or null when neither FERRY_TEST_NODE_RED nor the repository's install has it.</summary>
    public static string? Executable
    {
        get
        {
            if (Environment.GetEnvironmentVariable("FERRY_TEST_NODE_RED") is { Length: > 0 } configured)
                return configured;
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Ferry.slnx")))
                {
                    var installed = Path.Combine(directory.FullName, ".tools", "node-red", "node_modules", ".bin", "node-red");
                    return File.Exists(installed) ? installed : null;
                }
            }
            return null;
        }
    }

    private static bool OnCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the tests must run: Node-RED is there, or this is CI (where they then fail).</summary>
    public static string? SkipReason => Executable is null && !OnCi
        ? "Node-RED is not installed: FERRY_TEST_NODE_RED is unset and .tools/node-red has none (./test.sh installs it; on CI these tests fail instead)"
        : null;

    public static async Task<NodeRedInstance> StartAsync()
    {
        var executable = Executable ?? throw new InvalidOperationException(
            "Node-RED is not installed and CI=true requires its tests to run: run ./test.sh or set FERRY_TEST_NODE_RED to a node-red executable");
        var root = Directory.CreateTempSubdirectory("ferry-node-red-").FullName;
        var port = LocalServerProcess.FreePort();
        var settings = Path.Combine(root, "settings.js");
        await File.WriteAllTextAsync(settings,
            $$"""
              module.exports = { uiHost: "127.0.0.1", uiPort: {{port}}, flowFile: "{{Path.Combine(root, "flows.json")}}", userDir: "{{root}}",
                credentialSecret: false, editorTheme: { tours: false } };
              """);
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        info.ArgumentList.Add("--settings");
        info.ArgumentList.Add(settings);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var instance = new NodeRedInstance(root, port, process);
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

    public JsonObject Source() => new() { ["url"] = Url };

    public async Task<(string Rev, JsonArray Flows)> GetFlowsAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url + "/flows");
        request.Headers.Add("Node-RED-API-Version", "v2");
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        return ((string)answer["rev"]!, answer["flows"]!.AsArray());
    }

    /// <summary>Deploys <paramref name="flows"/> over whatever runs now, as a person pressing Deploy would.</summary>
    public async Task DeployAsync(JsonArray flows)
    {
        var (rev, _) = await GetFlowsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Url + "/flows");
        request.Headers.Add("Node-RED-API-Version", "v2");
        request.Content = new StringContent(new JsonObject { ["rev"] = rev, ["flows"] = flows.DeepClone() }.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"deploy to {Url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public ValueTask DisposeAsync() => LocalServerProcess.StopAsync(_process, Root);

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
