using System.Net;
using System.Text.Json.Nodes;
using Ferry.Core.Promotion;
using Ferry.Server.Api;
using Ferry.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ferry.Server.Tests;

/// <summary>
/// A refusal of the rules is an answer (409 or 403 with its kind); anything unexpected is a failure of the server: 500,
/// with the trace id in the answer and in the log, never a 4xx.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ServerErrorsTests(FerryHost host)
{
    [Fact]
    public async Task Request_Gets500WithTraceId_WhenTheServerFailsUnexpectedly()
    {
        var name = "broken-" + Guid.NewGuid().ToString("N")[..8];
        // A stored config the loader no longer reads: not the client's fault.
        await host.Store.SetPipelineAsync(new PipelineConfigInput(name, "jobs: [", new JsonObject(), "test", [], []));

        using var response = await host.Http.GetAsync($"/api/v1/pipelines/{name}/environments");

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var traceId = problem["traceId"]!.GetValue<string>();
        traceId.ShouldNotBeNullOrWhiteSpace();
        problem["detail"]!.GetValue<string>().ShouldContain($"trace id {traceId}");
    }

    [Fact]
    public async Task Handler_LogsTheTraceId_ForAnInvalidOperationException()
    {
        var logger = new CollectingLogger();
        var handled = await HandleAsync(new InvalidOperationException("a bug"), logger);

        handled.Response.StatusCode.ShouldBe(StatusCodes.Status500InternalServerError);
        logger.Lines.ShouldHaveSingleItem().ShouldContain($"trace id {handled.TraceIdentifier}");
    }

    [Theory]
    [InlineData(RefusalKind.WouldSkipEnvironment, StatusCodes.Status409Conflict)]
    [InlineData(RefusalKind.NotAllowed, StatusCodes.Status403Forbidden)]
    public async Task Handler_AnswersRefusalsWithoutLogging(RefusalKind kind, int status)
    {
        var logger = new CollectingLogger();
        var handled = await HandleAsync(new PromotionRefusedException(new Refusal(kind, "production", "r1", "refused")), logger);

        handled.Response.StatusCode.ShouldBe(status);
        logger.Lines.ShouldBeEmpty();
    }

    private static async Task<HttpContext> HandleAsync(Exception exception, CollectingLogger logger)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services, TraceIdentifier = "trace-" + Guid.NewGuid().ToString("N")[..6] };
        context.Response.Body = new MemoryStream();
        var handler = new ApiExceptionHandler(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(), logger);
        (await handler.TryHandleAsync(context, exception, default)).ShouldBeTrue();
        return context;
    }

    /// <summary>Keeps what the handler logs at error level.</summary>
    private sealed class CollectingLogger : ILogger<ApiExceptionHandler>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Error)
                Lines.Add(formatter(state, exception));
        }
    }
}
