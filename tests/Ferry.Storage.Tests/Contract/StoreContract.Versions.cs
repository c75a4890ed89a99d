using Ferry.Core.Versions;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task SaveVersions_AssignsIncreasingCheckOrder_InTheOrderGiven()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], []);
        var id = pipeline.Resources["app"];

        var saved = await Store.SaveVersionsAsync(id, [V("a", ("author", "ann")), V("b"), V("c")]);

        saved.Select(v => v.CheckOrder).ShouldBe([1, 2, 3]);
        saved[0].Version.Metadata.ShouldBe([new MetadataField("author", "ann")]);
        var page = await Store.ListVersionsAsync(id, new());
        page.Versions.Select(v => v.Version.Version["ref"]).ShouldBe(["c", "b", "a"]);
        page.NextBeforeCheckOrder.ShouldBeNull();
        (await Store.GetLatestVersionAsync(id))!.Version.Version["ref"].ShouldBe("c");
    }

    [StoreFact]
    public async Task SaveVersions_KeepsRowAndOrder_WhenNewestIsReportedAgain()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], []);
        var id = pipeline.Resources["app"];
        var first = await Store.SaveVersionsAsync(id, [V("a"), V("b")]);

        // A check reports from the last known version on: b again, then the new c.
        var second = await Store.SaveVersionsAsync(id, [V("b"), V("c")]);

        second[0].Id.ShouldBe(first[1].Id);
        second[0].CheckOrder.ShouldBe(2);
        second[1].CheckOrder.ShouldBe(3);
        (await Store.ListVersionsAsync(id, new())).Versions.Count.ShouldBe(3);
    }

    [StoreFact]
    public async Task SaveVersions_MovesAnOlderVersionUp_WhenACheckReportsItAsNewer()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], []);
        var id = pipeline.Resources["app"];
        var first = await Store.SaveVersionsAsync(id, [V("a"), V("b"), V("c")]);

        // As Concourse does: every reported version goes after the newest, in the order reported.
        var again = await Store.SaveVersionsAsync(id, [V("a", ("note", "reverted"))]);

        again[0].Id.ShouldBe(first[0].Id);
        again[0].CheckOrder.ShouldBe(4);
        again[0].Version.Metadata.ShouldBe([new MetadataField("note", "reverted")]);
        (await Store.ListVersionsAsync(id, new())).Versions.Select(v => v.Version.Version["ref"]).ShouldBe(["a", "c", "b"]);
    }

    [StoreFact]
    public async Task ListVersions_PagesNewestFirst_WhenLimitIsSmall()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], []);
        var id = pipeline.Resources["app"];
        await Store.SaveVersionsAsync(id, [.. Enumerable.Range(1, 5).Select(i => V($"v{i}"))]);

        var one = await Store.ListVersionsAsync(id, new(Limit: 2));
        var two = await Store.ListVersionsAsync(id, new(Limit: 2, BeforeCheckOrder: one.NextBeforeCheckOrder));
        var three = await Store.ListVersionsAsync(id, new(Limit: 2, BeforeCheckOrder: two.NextBeforeCheckOrder));

        one.Versions.Select(v => v.Version.Version["ref"]).ShouldBe(["v5", "v4"]);
        two.Versions.Select(v => v.Version.Version["ref"]).ShouldBe(["v3", "v2"]);
        three.Versions.Select(v => v.Version.Version["ref"]).ShouldBe(["v1"]);
        three.NextBeforeCheckOrder.ShouldBeNull();
    }

    [StoreFact]
    public async Task SetVersionDisabled_HidesVersionFromLatest_UntilEnabled()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], []);
        var id = pipeline.Resources["app"];
        var saved = await Store.SaveVersionsAsync(id, [V("a"), V("b")]);

        (await Store.SetVersionDisabledAsync(saved[1].Id, true)).ShouldBeTrue();
        (await Store.GetLatestVersionAsync(id))!.Version.Version["ref"].ShouldBe("a");
        (await Store.GetVersionAsync(saved[1].Id))!.Disabled.ShouldBeTrue();

        (await Store.SetVersionDisabledAsync(saved[1].Id, false)).ShouldBeTrue();
        (await Store.GetLatestVersionAsync(id))!.Version.Version["ref"].ShouldBe("b");
        (await Store.SetVersionDisabledAsync(long.MaxValue, true)).ShouldBeFalse();
    }

    [StoreFact]
    public async Task FindVersion_MatchesExactFieldsOrASubset_WhenGivenAMap()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], []);
        var id = pipeline.Resources["app"];
        var two = new ResourceVersion(new Dictionary<string, string> { ["ref"] = "abc", ["branch"] = "main" });
        var saved = await Store.SaveVersionsAsync(id, [V("x"), two]);

        (await Store.FindVersionAsync(id, new Dictionary<string, string> { ["branch"] = "main", ["ref"] = "abc" }))!.Id.ShouldBe(saved[1].Id);
        (await Store.FindVersionAsync(id, new Dictionary<string, string> { ["ref"] = "abc" }))!.Id.ShouldBe(saved[1].Id);
        (await Store.FindVersionAsync(id, new Dictionary<string, string> { ["ref"] = "x" }))!.Id.ShouldBe(saved[0].Id);
        (await Store.FindVersionAsync(id, new Dictionary<string, string> { ["ref"] = "nope" })).ShouldBeNull();
    }

    [StoreFact]
    public async Task SaveVersions_Throws_WhenResourceDoesNotExist() =>
        await Should.ThrowAsync<StoreException>(() => Store.SaveVersionsAsync(int.MaxValue, [V("a")]));
}
