using Ferry.Engine.Loops;
using Microsoft.Extensions.DependencyInjection;

namespace Ferry.Server.Hosting;

/// <summary>
/// The composition root of the engine: every background loop and the engine seams the API calls.
/// Register loops as <c>services.AddSingleton&lt;IBackgroundLoop, CheckerLoop&gt;()</c> (the <see cref="LoopHost"/> runs
/// each on its interval) and the manual trigger as <c>services.AddSingleton&lt;IJobTrigger, …&gt;()</c>.
/// Available to them: <c>IStore</c>, <see cref="LoopWaker"/>, <see cref="ServerNode"/>, <c>TimeProvider</c>, <c>ILogger&lt;T&gt;</c>.
/// </summary>
internal static class EngineServices
{
    public static void Add(IServiceCollection services, ServerOptions options)
    {
        services.AddSingleton<LoopWaker>();
        if (options.RunLoops)
        {
            services.AddHostedService<LoopHost>();
        }
    }
}
