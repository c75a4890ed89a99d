using Ferry.Server.Examples;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ferry.Engine.Containers;
using Ferry.Engine.Nodes;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Processes;
using Ferry.Server.Api;
using Ferry.Server.Auth;
using Ferry.Server.Hosting;
using Ferry.Server.Security;
using Ferry.Server.Ui;
using Ferry.Server.Workers;
using Ferry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ferry.Server;

/// <summary>The composition root of <c>ferry server</c>: store, engine loops, REST API, OpenAPI document, web UI.</summary>
public static class FerryServer
{
    /// <summary>
    /// Opens the store (running its migrations), marks builds a dead server left started as errored, and builds the
    /// web application. Run it with <c>RunAsync</c>; it stops gracefully on SIGTERM and Ctrl-C.
    /// </summary>
    /// <param name="configure">Extra registrations after the engine's own (tests, other hosts).</param>
    public static async Task<WebApplication> BuildAsync(
        ServerOptions options, Action<IServiceCollection>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FerryServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        ConfigureLogging(builder.Logging, options.LogLevel);
        builder.WebHost.UseUrls(options.Listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(20));

        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        // Before the store is opened: a second server must not mark the first one's running builds as abandoned.
        var dataLock = string.IsNullOrWhiteSpace(options.Connection) ? DataDirectoryLock.Acquire(dataDirectory) : null;
        IStore store;
        try
        {
            store = await StoreFactory.OpenAsync(dataDirectory, options.Connection, TimeProvider.System, cancellationToken, options.MasterKey());
        }
        catch
        {
            dataLock?.Dispose();
            throw;
        }
        try
        {
            if (dataLock is not null)
            {
                // Through a factory, so the container owns it and releases it when the app is disposed.
                builder.Services.AddSingleton(_ => dataLock);
            }
            var node = ServerNode.Start(options.NodeName, dataDirectory, DateTimeOffset.UtcNow);
            await store.RegisterNodeAsync(node.Id, node.Name, cancellationToken);
            await store.SetNodeEmbeddedWorkerAsync(node.Id, options.RunsBuilds, cancellationToken);
            // On SQLite this server holds the data directory's lock, so every other node is gone; on PostgreSQL the
            // others may live, and only those whose heartbeat stopped are ended (by every node's node loop after this).
            var recovered = (await store.EndLostNodesAsync(
                store.Dialect == StoreDialect.Sqlite ? TimeSpan.Zero : NodeLoopOptions.DefaultTimeout, node.Id, cancellationToken)).ErroredBuilds;
            // Before anything runs: what the tasks of a server that died (even by SIGKILL) started is still running.
            var directories = new EngineDirectories(dataDirectory);
            var reaped = ProcessRunner.ReapLeftovers(directories.Processes);
            var probe = await RuntimeChoice.ProbeAsync(options.Runtime);
            if (options.Runtime == RuntimeKind.Container && probe is { Works: false })
                throw new ContainerException($"--runtime container: {probe.Description}", 1);
            var reapedContainers = await ReapContainersAsync(directories, cancellationToken);
            builder.Services.AddSingleton<IStore>(_ => store);
            builder.Services.AddSingleton(node);
            builder.Services.AddSingleton(TimeProvider.System);
            var ownerTokenFile = await FirstOwner.EnsureAsync(store, dataDirectory, cancellationToken);
            builder.Services.AddSingleton(new StartupReport(store.Dialect, recovered, reaped, reapedContainers, ownerTokenFile));
            builder.Services.AddSingleton(new EngineServices.RuntimeProbe(probe));
            builder.Services.AddSingleton(new AuthMode(options.InsecureNoAuth));
            ConfigureApi(builder.Services);
            UiHost.Add(builder.Services, dataDirectory, store);
            EngineServices.Add(builder.Services, options);
            configure?.Invoke(builder.Services);

            var app = builder.Build();
            // Resolved first, so disposed last: the lock outlives the store and the loops.
            _ = app.Services.GetService<DataDirectoryLock>();
            if (options.SeedExample)
            {
                await ExampleSeeder.SeedAsync(store, dataDirectory, app.Services.GetRequiredService<ProcessRunner>(), app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ferry.Server"), cancellationToken);
            }
            SecurityHeaders.Use(app);
            // An ApiException thrown before an endpoint runs (a permission rule looking the build up) is a 404 answer, not a failed handler.
            app.UseExceptionHandler(new ExceptionHandlerOptions { AllowStatusCode404Response = true });
            HostGuard.Use(app, AllowedHosts.From(options));
            app.UseStatusCodePages();
            TokenAuthentication.Use(app);
            CookieRequestGuard.Use(app, options.ExternalUrl);
            app.UseAntiforgery();
            UiHost.UseFormGuard(app);
            app.MapOpenApi("/openapi/{documentName}.json");
            ApiRoutes.Map(app);
            UiHost.Map(app);
            app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
            app.Lifetime.ApplicationStopping.Register(() => Logger(app).LogInformation("Ferry is stopping: finishing requests and loops"));
            app.Lifetime.ApplicationStopped.Register(() => Logger(app).LogInformation("Ferry stopped"));
            return app;
        }
        catch
        {
            await store.DisposeAsync();
            dataLock?.Dispose();
            throw;
        }
    }

    /// <summary>Removes the containers a server that died left (its sentinel died too); what to say about it, or "".</summary>
    private static async Task<string> ReapContainersAsync(EngineDirectories directories, CancellationToken cancellationToken)
    {
        try
        {
            var count = await ContainerRuntime.ReapLeftoversAsync(new ProcessRunner(), directories.Containers, cancellationToken);
            return count == 0 ? "" : $"removed {count} container(s) a stopped server left";
        }
        catch (ContainerException e)
        {
            return e.Message;
        }
    }

    /// <summary>The URLs Kestrel listens on once started (with the real port when the options said port 0).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    internal static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }

    private static void ConfigureApi(IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));
        services.AddProblemDetails();
        // Let bad bodies and parameters reach ApiExceptionHandler, so their problem names the field.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddScoped<RequestActor>();
        services.AddScoped<Access>();
        services.AddScoped<UserAdmin>();
        services.AddSingleton<WorkerList>();
        services.AddOpenApi();
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
            o.UseUtcTimestamp = true;
        });
        logging.SetMinimumLevel(level);
        // Kestrel and routing say a lot at Information; keep the console to what Ferry does.
        logging.AddFilter("Microsoft", LogLevel.Warning);
    }

    private static ILogger Logger(WebApplication app) => app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ferry.Server");

    private static void LogStarted(WebApplication app)
    {
        var report = app.Services.GetRequiredService<StartupReport>();
        var logger = Logger(app);
        if (report.Recovered.Count > 0)
        {
            logger.LogWarning("marked {Count} build(s) left started by a stopped server as errored: {Ids}",
                report.Recovered.Count, string.Join(", ", report.Recovered));
        }
        if (report.ReapedProcessGroups > 0)
        {
            logger.LogWarning("killed {Count} process group(s) a stopped server's tasks left running", report.ReapedProcessGroups);
        }
        if (report.ReapedContainers is { } containers && containers != "")
        {
            logger.LogWarning("{Containers}", containers);
        }
        logger.LogInformation("tasks run in {Runtime}", app.Services.GetRequiredService<RuntimeChoice>().Description);
        logger.LogInformation("Ferry listens on {Urls} (store: {Store})", string.Join(", ", Addresses(app)), report.Dialect.ToString().ToLowerInvariant());
        if (report.OwnerTokenFile is { } file)
        {
            logger.LogWarning("first start: made the owner '{Owner}'; its API token is in {File} (readable only by this OS user). " +
                "Sign in with: ferry login --url {Url} --token-file {File} (the web UI takes the same token)",
                FirstOwner.Name, file, Addresses(app).FirstOrDefault() ?? ServerOptions.DefaultListen, file);
        }
        if (app.Services.GetRequiredService<AuthMode>().InsecureNoAuth)
        {
            logger.LogWarning("INSECURE: started with --insecure-no-auth: anyone who can reach {Urls} is an owner of this server " +
                "and can run any command as this OS user. Use it only on a throw-away server on your own machine.", string.Join(", ", Addresses(app)));
        }
    }
}

/// <param name="ReapedContainers">What the start says about containers a dead server left; "" when there were none.</param>
/// <param name="OwnerTokenFile">Where this first start wrote the new owner's token; null when the store had users.</param>
internal sealed record StartupReport(StoreDialect Dialect, IReadOnlyList<long> Recovered, int ReapedProcessGroups, string ReapedContainers, string? OwnerTokenFile = null);
