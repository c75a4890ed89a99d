namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task SetPipeline_StoresNumberedConfigVersions_WhenSetTwice()
    {
        var name = UniqueName("p");
        var first = await Store.SetPipelineAsync(Config(name, ["app"], ["unit"]));
        var second = await Store.SetPipelineAsync(Config(name, ["app", "lib"], ["unit"]) with { Yaml = "v2", CreatedBy = "alice" });

        first.Number.ShouldBe(1);
        second.Number.ShouldBe(2);
        second.PipelineId.ShouldBe(first.PipelineId);
        var current = (await Store.GetPipelineConfigAsync(first.PipelineId))!;
        current.Number.ShouldBe(2);
        current.Yaml.ShouldBe("v2");
        current.CreatedBy.ShouldBe("alice");
        current.Vars["env"]!.GetValue<string>().ShouldBe("test");
        (await Store.GetPipelineConfigAsync(first.PipelineId, 1))!.Yaml.ShouldStartWith("# ");
        (await Store.ListPipelineConfigsAsync(first.PipelineId)).Select(c => c.Number).ShouldBe([2, 1]);
        (await Store.GetPipelineAsync(name))!.CurrentConfigNumber.ShouldBe(2);
    }

    [StoreFact]
    public async Task SetPipeline_CreatesPausedPipeline_WhenAskedForPaused()
    {
        var name = UniqueName("p");
        await Store.SetPipelineAsync(Config(name, [], [], paused: true));
        (await Store.GetPipelineAsync(name))!.Paused.ShouldBeTrue();

        (await Store.SetPipelinePausedAsync(name, false)).ShouldBeTrue();
        (await Store.GetPipelineAsync(name))!.Paused.ShouldBeFalse();
        (await Store.SetPipelinePausedAsync(UniqueName("missing"), true)).ShouldBeFalse();
        (await Store.ListPipelinesAsync()).ShouldContain(p => p.Name == name);
    }

    [StoreFact]
    public async Task SetPipeline_MarksRemovedResourcesAndJobsInactive_WhenConfigDropsThem()
    {
        var pipeline = await NewPipelineAsync(Store, ["app", "lib"], ["unit", "deploy"]);
        await Store.SaveVersionsAsync(pipeline.Resources["lib"], [V("a")]);

        await Store.SetPipelineAsync(Config(pipeline.Name, ["app"], ["unit"]));

        (await Store.ListResourcesAsync(pipeline.Id)).Select(r => r.Name).ShouldBe(["app"]);
        var lib = (await Store.GetResourceAsync(pipeline.Id, "lib"))!;
        lib.Active.ShouldBeFalse();
        lib.Id.ShouldBe(pipeline.Resources["lib"]);
        (await Store.ListVersionsAsync(lib.Id, new())).Versions.Count.ShouldBe(1);
        (await Store.ListJobsAsync(pipeline.Id)).Select(j => j.Name).ShouldBe(["unit"]);
        (await Store.ListJobsAsync(pipeline.Id, includeInactive: true)).Count.ShouldBe(2);

        await Store.SetPipelineAsync(Config(pipeline.Name, ["app", "lib"], ["unit"]));
        (await Store.GetResourceAsync(pipeline.Id, "lib"))!.Active.ShouldBeTrue();
    }

    [StoreFact]
    public async Task SetPipeline_StartsNewVersionScope_WhenSourceChanges()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], []);
        var id = pipeline.Resources["app"];
        var old = await Store.SaveVersionsAsync(id, [V("a")]);
        await Store.PinVersionAsync(id, old[0].Id, "hold");
        await Store.SetPipelineAsync(Config(pipeline.Name, ["app"], []));
        (await Store.GetResourceByIdAsync(id))!.Scope.ShouldBe(1);

        var changed = Config(pipeline.Name, [], []) with { Resources = [GitResource("app", branch: "release")] };
        await Store.SetPipelineAsync(changed);

        var resource = (await Store.GetResourceByIdAsync(id))!;
        resource.Scope.ShouldBe(2);
        resource.PinnedVersionId.ShouldBeNull();
        resource.Source["branch"]!.GetValue<string>().ShouldBe("release");
        (await Store.ListVersionsAsync(id, new())).Versions.ShouldBeEmpty();
        (await Store.GetVersionAsync(old[0].Id)).ShouldNotBeNull();
        var fresh = await Store.SaveVersionsAsync(id, [V("a")]);
        fresh[0].Id.ShouldNotBe(old[0].Id);
        fresh[0].CheckOrder.ShouldBe(1);
    }

    [StoreFact]
    public async Task DestroyPipeline_DeletesItsData_WhenItHasBuildsAndVersions()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], ["unit"]);
        var version = (await Store.SaveVersionsAsync(pipeline.Resources["app"], [V("a")]))[0];
        var build = await Store.CreateBuildAsync(JobBuild(pipeline, "unit", [new("app", pipeline.Resources["app"], version.Id, true)]));
        await Store.AppendEventsAsync(build.Id, [new(0, 0, DateTimeOffset.UtcNow, Core.Builds.BuildEventType.Log, "s1", Core.Builds.LogStream.Stdout, "hi\n")]);

        (await Store.DestroyPipelineAsync(pipeline.Name, "tester")).ShouldBeTrue();

        (await Store.GetPipelineAsync(pipeline.Name)).ShouldBeNull();
        (await Store.GetResourceByIdAsync(pipeline.Resources["app"])).ShouldBeNull();
        (await Store.GetVersionAsync(version.Id)).ShouldBeNull();
        (await Store.GetBuildAsync(build.Id)).ShouldBeNull();
        (await Store.ReadEventsAsync(build.Id)).ShouldBeEmpty();
        (await Store.DestroyPipelineAsync(pipeline.Name, "tester")).ShouldBeFalse();
    }

    [StoreFact]
    public async Task RecordCheck_KeepsCheckStateAndSchedule_WhenCheckFails()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], []);
        var id = pipeline.Resources["app"];
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        (await Store.ListResourcesDueForCheckAsync(now)).ShouldContain(r => r.Id == id);

        await Store.RecordCheckAsync(id, now, "git ls-remote: repository not found", now.AddMinutes(2));

        var resource = (await Store.GetResourceByIdAsync(id))!;
        resource.LastCheckedAt.ShouldBe(now);
        resource.LastCheckError.ShouldBe("git ls-remote: repository not found");
        resource.NextCheckAt.ShouldBe(now.AddMinutes(2));
        (await Store.ListResourcesDueForCheckAsync(now)).ShouldNotContain(r => r.Id == id);
        (await Store.ListResourcesDueForCheckAsync(now.AddMinutes(3))).ShouldContain(r => r.Id == id);
        await Store.RequestCheckAsync(id, now);
        (await Store.ListResourcesDueForCheckAsync(now)).ShouldContain(r => r.Id == id);
        await Store.SetPipelinePausedAsync(pipeline.Name, true);
        (await Store.ListResourcesDueForCheckAsync(now)).ShouldNotContain(r => r.Id == id);
    }

    [StoreFact]
    public async Task PinVersion_RecordsVersionAndComment_AndRefusesAnotherResourcesVersion()
    {
        var pipeline = await NewPipelineAsync(Store, ["app", "lib"], []);
        var version = (await Store.SaveVersionsAsync(pipeline.Resources["app"], [V("a")]))[0];

        await Store.PinVersionAsync(pipeline.Resources["app"], version.Id, "broken after a");
        var pinned = (await Store.GetResourceByIdAsync(pipeline.Resources["app"]))!;
        pinned.PinnedVersionId.ShouldBe(version.Id);
        pinned.PinComment.ShouldBe("broken after a");
        await Should.ThrowAsync<StoreException>(() => Store.PinVersionAsync(pipeline.Resources["lib"], version.Id, null));

        await Store.PinVersionAsync(pipeline.Resources["app"], null, null);
        (await Store.GetResourceByIdAsync(pipeline.Resources["app"]))!.PinnedVersionId.ShouldBeNull();
    }

    [StoreFact]
    public async Task SetJobPaused_KeepsFlag_WhenConfigIsSetAgain()
    {
        var pipeline = await NewPipelineAsync(Store, [], ["unit"]);
        await Store.SetJobPausedAsync(pipeline.Jobs["unit"], true);
        await Store.SetPipelineAsync(Config(pipeline.Name, [], ["unit"]));
        var job = (await Store.GetJobAsync(pipeline.Id, "unit"))!;
        job.Paused.ShouldBeTrue();
        job.Config["name"]!.GetValue<string>().ShouldBe("unit");
        (await Store.GetJobByIdAsync(job.Id))!.Name.ShouldBe("unit");
    }
}
