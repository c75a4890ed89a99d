using Ferry.Core.Audit;
using Ferry.Core.Promotion;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task DestroyPipeline_KeepsItsAuditEntries_AndAuditsTheDestroy()
    {
        var pipeline = await NewPipelineAsync(Store, [], []);
        var staging = (await Store.SyncEnvironmentsAsync(pipeline.Id, [new EnvironmentNode("staging", [])]))[0];
        await Store.SetVariableAsync(staging.Id, "API_URL", "https://staging.example", secret: false, "olga");

        (await Store.DestroyPipelineAsync(pipeline.Name, "dora")).ShouldBeTrue();

        var entries = await Store.ListAuditLogAsync(pipeline.Name);
        entries.Select(e => e.Action).ShouldBe([AuditActions.PipelineDestroyed, AuditActions.VariableSet]);
        entries[0].Actor.ShouldBe("dora");
        entries[1].Actor.ShouldBe("olga");
        entries[1].Environment.ShouldBe("staging");
        entries.ShouldAllBe(e => e.Pipeline == pipeline.Name && e.PipelineId == null);
        (await Store.ListAuditLogAsync(limit: 5000)).Select(e => e.Id).ShouldContain(entries[0].Id);
    }

    [StoreFact]
    public async Task ListAudit_ShowsNoneOfADestroyedPipelinesEntries_ForANewPipelineWithItsId()
    {
        var store = await OpenFreshAsync();
        var old = await NewPipelineAsync(store, [], []);
        var staging = (await store.SyncEnvironmentsAsync(old.Id, [new EnvironmentNode("staging", [])]))[0];
        await store.SetVariableAsync(staging.Id, "API_URL", "https://old.example", secret: false, "olga");
        await store.DestroyPipelineAsync(old.Name, "dora");

        var next = await NewPipelineAsync(store, [], []);

        (await store.ListAuditAsync(next.Id)).ShouldBeEmpty();
        (await store.ListAuditLogAsync(next.Name)).ShouldBeEmpty();
        (await store.ListAuditLogAsync()).Select(e => e.Pipeline).ShouldBe([old.Name, old.Name]);
    }
}
