using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Tests.LocalServers;

namespace Ferry.EndToEnd.Tests.NodeRedExample;

/// <summary>
/// The three Node-RED instances of examples/node-red as its instances.sh starts them (on free ports here), and the
/// Admin API requests its README makes with curl: read the flows, deploy edited ones, press an inject button.
/// </summary>
internal sealed class NodeRedExampleInstances : IAsyncDisposable
{
    public const string ProductionPassword = "ferry-example";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _directory;
    private readonly Dictionary<string, string> _environment;
    private string? _productionToken;

    private NodeRedExampleInstances(string directory, Dictionary<string, string> environment)
    {
        _directory = directory;
        _environment = environment;
    }

    public static string Example => Path.Combine(RepositoryRoot.Path, "examples", "node-red");

    public static string[] Stages => ["development", "staging", "production"];

    /// <summary>The ports pipeline.yml and instances.sh use unless told otherwise, stage by stage.</summary>
    private static readonly int[] ExamplePorts = [1880, 1881, 1882];

    public int Port(string stage) => int.Parse(_environment[stage.ToUpperInvariant() + "_PORT"], CultureInfo.InvariantCulture);

    public static async Task<NodeRedExampleInstances> StartAsync(string directory)
    {
        var environment = Stages.ToDictionary(s => s.ToUpperInvariant() + "_PORT", _ => LocalServerProcess.FreePort().ToString(CultureInfo.InvariantCulture));
        environment["NODE_RED"] = NodeRedInstance.Executable ?? throw new InvalidOperationException("Node-RED 4 is not installed: run ./test.sh");
        var instances = new NodeRedExampleInstances(directory, environment);
        var start = await Shell.RunAsync(Path.Combine(Example, "instances.sh"), ["start", directory], environment: environment, timeout: TimeSpan.FromMinutes(4));
        if (start.ExitCode != 0)
        {
            await instances.DisposeAsync();
            throw new InvalidOperationException($"instances.sh start failed: {start}");
        }
        return instances;
    }

    /// <summary>examples/node-red/pipeline.yml with each instance's URL on this run's port instead of 1880, 1881, 1882.</summary>
    public string Pipeline()
    {
        var yaml = File.ReadAllText(Path.Combine(Example, "pipeline.yml"));
        foreach (var (stage, port) in Stages.Zip(ExamplePorts))
        {
            var url = $"http://127.0.0.1:{port}";
            yaml.ShouldContain(url, customMessage: $"the example's pipeline names {stage}'s instance");
            yaml = yaml.Replace(url, $"http://127.0.0.1:{Port(stage)}", StringComparison.Ordinal);
        }
        return yaml;
    }

    /// <summary>What <c>curl http://127.0.0.1:PORT/flows</c> prints: the stage's flows.</summary>
    public async Task<JsonArray> FlowsAsync(string stage)
    {
        using var response = await SendAsync(stage, HttpMethod.Get, "/flows");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    /// <summary>A Deploy in the stage's editor: its flows, changed by <paramref name="edit"/>, posted back as a whole.</summary>
    public async Task EditAsync(string stage, Action<JsonArray> edit)
    {
        var flows = await FlowsAsync(stage);
        edit(flows);
        using var _ = await SendAsync(stage, HttpMethod.Post, "/flows", new StringContent(flows.ToJsonString(), Encoding.UTF8, "application/json"));
    }

    public static JsonObject Node(JsonArray flows, string id) => flows.OfType<JsonObject>().Single(n => (string?)n["id"] == id);

    /// <summary>Presses the inject button of node <paramref name="id"/>: the flow runs once.</summary>
    public async Task InjectAsync(string stage, string id)
    {
        using var _ = await SendAsync(stage, HttpMethod.Post, "/inject/" + id);
    }

    /// <summary>Waits until the stage's log (the debug node writes to it) has a line with <paramref name="text"/>.</summary>
    public async Task WaitForLogAsync(string stage, string text)
    {
        var log = Path.Combine(_directory, stage, "node-red.log");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(await File.ReadAllTextAsync(log)).Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{stage}'s log never showed {text}:\n{await File.ReadAllTextAsync(log)}");
            await Task.Delay(200);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string stage, HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{Port(stage)}{path}") { Content = content };
        if (stage == "production")
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _productionToken ??= await LogInToProductionAsync());
        var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{method} {stage}{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    /// <summary>Production has adminAuth (user admin): log in as the editor does.</summary>
    private async Task<string> LogInToProductionAsync()
    {
        using var response = await Http.PostAsync($"http://127.0.0.1:{Port("production")}/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "node-red-admin", ["grant_type"] = "password", ["scope"] = "*", ["username"] = "admin", ["password"] = ProductionPassword,
        }));
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["access_token"]!;
    }

    public async ValueTask DisposeAsync()
    {
        await Shell.RunAsync(Path.Combine(Example, "instances.sh"), ["stop", _directory], environment: _environment);
    }
}
