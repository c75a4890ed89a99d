using Ferry.Core.Builds;
using Ferry.Storage;

namespace Ferry.Engine.Running;

/// <summary>Stores a running build's events as they come; each append is committed before the runner goes on.</summary>
internal sealed class StoreEventSink(IStore store, long buildId) : IBuildEventSink
{
    public async ValueTask WriteAsync(BuildEvent buildEvent) =>
        await store.AppendEventsAsync(buildId, [buildEvent], CancellationToken.None);
}
