using Ferry.Core.Plans;
using Ferry.Engine.Running;

namespace Ferry.Engine.Workers;

/// <summary>
/// A remote worker's <c>set_pipeline</c>: reads the pipeline file and its var files from the build's artifacts here,
/// on the worker, and posts their texts to the server, which checks and stores the config (servers own pipelines).
/// A server that cannot be reached is retried; its refusal (a 422 whose detail is the error) errors the step as the
/// server's own setter does.
/// </summary>
internal sealed class RemotePipelineSetter(WorkerClient client, long buildId) : IPipelineSetter
{
    public async Task<IReadOnlyList<string>> SetAsync(SetPipelinePlan plan, string configPath, IReadOnlyList<string> varFilePaths, CancellationToken cancellation)
    {
        var config = await File.ReadAllTextAsync(configPath, cancellation);
        var varFiles = new List<string>();
        foreach (var path in varFilePaths)
            varFiles.Add(await File.ReadAllTextAsync(path, cancellation));
        var request = new WorkerSetPipeline(PlanJson.Serialize(plan), config, varFiles);
        var backoff = new Backoff();
        while (true)
        {
            try
            {
                return (await client.SetPipelineAsync(buildId, request, cancellation)).Lines;
            }
            catch (WorkerServerUnavailableException)
            {
                await backoff.WaitAsync(cancellation);
            }
        }
    }
}
