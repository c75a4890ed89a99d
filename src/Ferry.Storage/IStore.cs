namespace Ferry.Storage;

/// <summary>
/// Everything Ferry keeps: pipelines, resources, jobs, versions, builds and their events; environments, releases and promotions.
/// SQLite (embedded default) and PostgreSQL implement it with the same contract; open one with <see cref="StoreFactory"/>.
/// Every write is committed before its method returns.
/// </summary>
public interface IStore : IPipelineStore, IResourceStore, IVersionStore, IBuildStore, IBuildEventStore, IPromotionStore, IIdentityStore, IAuditStore,
    Instances.IInstanceStore, Nodes.INodeStore, Keys.IKeyStore, Workers.IWorkerStore, IAsyncDisposable
{
    StoreDialect Dialect { get; }

    /// <summary>Locks per unit of work ("check:12", "schedule:4"), so several server nodes never do the same work at once.</summary>
    IWorkLocks Locks { get; }

    /// <summary>Tells listeners (server-sent event streams) that a build has new events.</summary>
    IBuildEventNotifier Notifier { get; }

    /// <summary>Tells listeners (live pages) that something of a pipeline changed.</summary>
    Events.IPipelineChangeNotifier Changes { get; }
}

public enum StoreDialect
{
    Sqlite,
    Postgres,
}
