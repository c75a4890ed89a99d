using Ferry.Tests.LocalServers;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Tests.Resources.RegistryImage;

/// <summary>
/// Debian's <c>docker-registry</c> on a free 127.0.0.1 port with a config and storage of its own (a temp directory),
/// optionally behind Basic (htpasswd) or token auth; killed and removed at the end. Its access log is kept, so a test can
/// see which requests a push made.
/// </summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    public const string Executable = "/usr/bin/docker-registry";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private LocalRegistry(string root, int port, Process process)
    {
        Root = root;
        Port = port;
        _process = process;
    }

    public string Root { get; }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    /// <summary>Everything the registry logged so far (its access log has a line per request: <c>"POST /v2/…/blobs/uploads/ HTTP/1.1"</c>).</summary>
    public string Log
    {
        get
        {
            lock (_log)
                return _log.ToString();
        }
    }

    public JsonObject Source(string repository, string? tag = null)
    {
        var source = new JsonObject { ["repository"] = $"{Host}/{repository}" };
        if (tag is not null)
            source["tag"] = tag;
        return source;
    }

    /// <param name="auth">The registry config's <c>auth:</c> section (YAML, indented by two), or null for none.</param>
    public static async Task<LocalRegistry> StartAsync(string? auth = null)
    {
        var root = Directory.CreateTempSubdirectory("ferry-registry-").FullName;
        var port = LocalServerProcess.FreePort();
        var config = Path.Combine(root, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: info
            storage:
              filesystem:
                rootdirectory: {Path.Combine(root, "storage")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {(auth is null ? "" : "auth:\n" + auth)}
            """);
        var info = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        info.ArgumentList.Add("serve");
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start docker-registry");
        var registry = new LocalRegistry(root, port, process);
        process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await registry.WaitUntilAnsweringAsync();
        }
        catch
        {
            await registry.DisposeAsync();
            throw;
        }
        return registry;
    }

    /// <summary>How many requests of <paramref name="method"/> to a path containing <paramref name="pathPart"/> the access log has.</summary>
    public int Requests(string method, string pathPart) =>
        Log.Split('\n').Count(line => line.Contains($"\"{method} /v2/", StringComparison.Ordinal) && line.Contains(pathPart, StringComparison.Ordinal));

    /// <summary>
    /// <paramref name="count"/> once a request to the registry's root, sent after everything before it, shows in the log:
    /// the registry writes a request's log line after answering it, so a count read at once may miss the last ones.
    /// </summary>
    public async Task<int> SettledAsync(Func<int> count)
    {
        var marker = "settle-" + Guid.NewGuid().ToString("N");
        using (await Http.GetAsync($"http://{Host}/v2/{marker}/tags/list"))
        {
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Log.Contains(marker, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the registry did not log the request {marker} within 10 s");
            await Task.Delay(20);
        }
        return count();
    }

    public async Task<IReadOnlyList<string>> TagsAsync(string repository)
    {
        var answer = JsonNode.Parse(await Http.GetStringAsync($"http://{Host}/v2/{repository}/tags/list"))!;
        return [.. answer["tags"]!.AsArray().Select(t => (string)t!)];
    }

    public async Task<string> DigestAsync(string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{Host}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    public ValueTask DisposeAsync() => LocalServerProcess.StopAsync(_process, Root);

    private Task WaitUntilAnsweringAsync() =>
        LocalServerProcess.WaitUntilAnsweringAsync(_process, "docker-registry", Host, () => Log, async () =>
        {
            using var response = await Http.GetAsync($"http://{Host}/v2/");
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(100));

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
    }
}
