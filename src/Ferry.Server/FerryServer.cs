using Ferry.Server.Examples;
using System.Text.Json;
using System.Text.Json.Serialization;
using Ferry.Engine.Containers;
using Ferry.Engine.Pipelines;
using Ferry.Engine.Processes;
using Ferry.Server.Api;
using Ferry.Server.Auth;
using Ferry.Server.Hosting;
using Ferry.Server.Ui;
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
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        var store = await StoreFactory.OpenAsync(dataDirectory, options.Connection, TimeProvider.System, cancellationToken);
        try
        {
            var node = new ServerNode(options.NodeName, dataDirectory, DateTimeOffset.UtcNow);
            var recovered = await store.RecoverAbandonedBuildsAsync(
                "the server stopped while the build was running",
                store.Dialect == StoreDialect.Sqlite ? null : node.Name,
                cancellationToken);
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
            builder.Services.AddSingleton(new StartupReport(store.Dialect, recovered, reaped, reapedContainers));
            builder.Services.AddSingleton(new EngineServices.RuntimeProbe(probe));
            ConfigureApi(builder.Services);
            UiHost.Add(builder.Services, dataDirectory);
            EngineServices.Add(builder.Services, options);
            configure?.Invoke(builder.Services);

            var app = builder.Build();
            if (options.SeedExample)
            {
                await ExampleSeeder.SeedAsync(store, dataDirectory, app.Services.GetRequiredService<ProcessRunner>(), app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Ferry.Server"), cancellationToken);
            }
            app.UseExceptionHandler();
            app.UseStatusCodePages();
            TokenAuthentication.Use(app);
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
    }
}

internal sealed record StartupReport(StoreDialect Dialect, IReadOnlyList<long> Recovered, int ReapedProcessGroups, string ReapedContainers);
