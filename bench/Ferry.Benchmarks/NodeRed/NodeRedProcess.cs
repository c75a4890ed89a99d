using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Tests.LocalServers;

namespace Ferry.Benchmarks.NodeRed;

/// <summary>
/// A real Node-RED on 127.0.0.1 with its own user directory and settings file, as the tests start it
/// (tests/Shared/LocalServers/NodeRedInstance.cs): FERRY_TEST_NODE_RED, else the repository's .tools/node-red.
/// Killed with its process tree and directory on dispose.
/// </summary>
internal sealed class NodeRedProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeRedProcess(string name, string root, int port, Process process)
    {
        Name = name;
        Root = root;
        Url = $"http://127.0.0.1:{port}";
        _process = process;
    }

    public string Name { get; }

    public string Root { get; }

    public string Url { get; }

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static string Executable
    {
        get
        {
            if (Environment.GetEnvironmentVariable("FERRY_TEST_NODE_RED") is { Length: > 0 } configured)
                return configured;
            for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
            {
                var installed = Path.Combine(directory.FullName, ".tools", "node-red", "node_modules", ".bin", "node-red");
                if (File.Exists(installed))
                    return installed;
            }
            throw new FileNotFoundException(
                "node-red-push needs Node-RED: set FERRY_TEST_NODE_RED to a node-red executable, or run from a checkout with .tools/node-red (./test.sh installs it)");
        }
    }

    public static async Task<NodeRedProcess> StartAsync(string name)
    {
        var executable = Executable;
        var root = Directory.CreateTempSubdirectory($"ferry-bench-node-red-{name}-").FullName;
        var port = LocalServerProcess.FreePort();
        var settings = Path.Combine(root, "settings.js");
        await File.WriteAllTextAsync(settings,
            $$"""
              module.exports = { uiHost: "127.0.0.1", uiPort: {{port}}, flowFile: "{{Path.Combine(root, "flows.json")}}", userDir: "{{root}}",
                credentialSecret: false, editorTheme: { tours: false }, logging: { console: { level: "warn" } } };
              """);
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        info.ArgumentList.Add("--settings");
        info.ArgumentList.Add(settings);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {executable}");
        var instance = new NodeRedProcess(name, root, port, process);
        process.OutputDataReceived += (_, e) => instance.Append(e.Data);
        process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await LocalServerProcess.WaitUntilAnsweringAsync(process, $"Node-RED ({name})", instance.Url, () => instance.Output,
                instance.GetFlowsAsync, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
        return instance;
    }

    public bool HasExited => _process.HasExited;

    public async Task<(string Rev, JsonArray Flows)> GetFlowsAsync()
    {
        var (rev, body) = await GetFlowsTextAsync();
        return (rev, JsonNode.Parse(body)!["flows"]!.AsArray());
    }

    /// <summary>The bare Admin API call a person's script makes: GET the rev, then POST the flows over it.</summary>
    /// <param name="deploymentType">Node-RED-Deployment-Type, or null for Node-RED's default (full).</param>
    public async Task DeployAsync(string flowsJson, string? deploymentType = null)
    {
        var (rev, _) = await GetFlowsTextAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, Url + "/flows");
        request.Headers.Add("Node-RED-API-Version", "v2");
        if (deploymentType is not null)
            request.Headers.Add("Node-RED-Deployment-Type", deploymentType);
        request.Content = new StringContent($$"""{"rev":"{{rev}}","flows":{{flowsJson}}}""", Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST {Url}/flows answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<(string Rev, string Body)> GetFlowsTextAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url + "/flows");
        request.Headers.Add("Node-RED-API-Version", "v2");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsStringAsync();
        // Only the rev is needed: a read-only document is the cheapest parse, so the bare call costs what a script's does.
        using var document = System.Text.Json.JsonDocument.Parse(body);
        var rev = document.RootElement.GetProperty("rev").GetString()!;
        return (rev, body);
    }

    public ValueTask DisposeAsync() => LocalServerProcess.StopAsync(_process, Root);

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }
}
