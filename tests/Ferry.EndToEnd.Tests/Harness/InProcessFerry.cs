using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using InProcessServer = Ferry.Server.FerryServer;

namespace Ferry.EndToEnd.Tests.Harness;

/// <summary>
/// A whole Ferry server in this process (for browser tests that also reach into its services) on a free loopback
/// port, with a throw-away data directory and no example pipeline; its owner's token is the one its first start
/// wrote. Disposing stops it and removes the directory.
/// </summary>
internal sealed class InProcessFerry : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessFerry(WebApplication app, string dataDirectory, string url, string adminToken)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Url = url;
        AdminToken = adminToken;
    }

    public string DataDirectory { get; }

    public string Url { get; }

    /// <summary>The token of <c>admin</c>, the owner the first start made (DATA/admin-token).</summary>
    public string AdminToken { get; }

    /// <param name="name">Names the data directory, so a test's leftovers say whose they are.</param>
    /// <param name="runLoops">False for a server that only answers (no checks, scheduling, builds or promotions).</param>
    public static async Task<InProcessFerry> StartAsync(string name, bool runLoops = true)
    {
        var data = Directory.CreateTempSubdirectory($"ferry-ui-{name}-").FullName;
        var app = await InProcessServer.BuildAsync(new Ferry.Server.ServerOptions
        {
            DataDirectory = data,
            Listen = "http://127.0.0.1:0",
            SeedExample = false,
            LogLevel = LogLevel.Warning,
            RunLoops = runLoops,
            // A test's end aborts what still runs at once, as before draining: it waits for no build.
            DrainTimeout = TimeSpan.Zero,
        });
        await app.StartAsync();
        var token = (await File.ReadAllTextAsync(Path.Combine(data, "admin-token"))).Trim();
        return new InProcessFerry(app, data, InProcessServer.Addresses(app).First(), token);
    }

    public T Service<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
