using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Ferry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Tests;

/// <summary>A real Ferry server on 127.0.0.1 with a free port, SQLite in a temporary data directory, and a client for it.</summary>
public sealed class FerryHost : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "ferry-server-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly Func<ServerOptions, ServerOptions> _configure = o => o;
    private WebApplication? _app;

    public FerryHost()
    {
    }

    private FerryHost(Func<ServerOptions, ServerOptions> configure) => _configure = configure;

    /// <summary>A client signed in as the owner <c>admin</c> the server made on its first start.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>A client that sends no token.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>The token of <c>admin</c>, as the server's first start wrote it to the data directory.</summary>
    public string AdminToken { get; private set; } = "";

    public Uri Url { get; private set; } = null!;

    /// <summary>Where the server keeps its SQLite file.</summary>
    public string DataDirectory { get; private set; } = "";

    public IStore Store => _app!.Services.GetRequiredService<IStore>();

    public T Service<T>() where T : notnull => _app!.Services.GetRequiredService<T>();

    /// <summary>A server of its own, started with options the shared one does not have (dispose it).</summary>
    public static async Task<FerryHost> StartAsync(Func<ServerOptions, ServerOptions> configure)
    {
        var host = new FerryHost(configure);
        await host.InitializeAsync();
        return host;
    }

    public async Task InitializeAsync()
    {
        var options = _configure(new ServerOptions
        {
            DataDirectory = _data,
            Listen = "http://127.0.0.1:0",
            LogLevel = LogLevel.Warning,
            SeedExample = false,
            // The API alone: builds these tests create by hand must not be claimed and run by the runner loop.
            RunLoops = false,
        });
        DataDirectory = options.DataDirectory;
        _app = await FerryServer.BuildAsync(options);
        await _app.StartAsync();
        Url = new Uri(FerryServer.Addresses(_app).First());
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "admin-token"))).Trim();
        Http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        Anonymous = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task DisposeAsync() => DisposeAsync(deleteData: true);

    /// <summary>Stops the server; with <paramref name="deleteData"/> false its data directory stays, for a server started after it.</summary>
    public async Task DisposeAsync(bool deleteData)
    {
        Http.Dispose();
        Anonymous.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (!deleteData)
        {
            return;
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still closing; the temp directory is cleaned by the system.
        }
    }

    /// <summary>A user with these roles (<c>TEAM:ROLE</c>, or a team name for a member) and a token of theirs.</summary>
    public async Task<string> TokenAsync(string user, params string[] roles)
    {
        var memberships = roles.Select(r => TeamMembership.TryParse(r, out var m, out _) ? m : throw new ArgumentException(r)).ToList();
        await Store.SaveUserAsync(user, owner: false, memberships);
        return (await Store.CreateApiTokenAsync(user)).Token;
    }

    public static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>Sets a pipeline through the API and fails the test when the server refuses.</summary>
    public async Task SetPipelineAsync(string name, string yaml, JsonObject? vars = null)
    {
        using var response = await Http.PutAsync($"/api/v1/pipelines/{name}/config", Json(new JsonObject { ["config"] = yaml, ["vars"] = vars }));
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue(text);
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }
}

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<FerryHost>
{
    public const string Name = "server";
}
