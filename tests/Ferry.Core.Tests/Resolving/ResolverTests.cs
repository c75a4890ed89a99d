using Ferry.Core.Resolving;
using static Ferry.Core.Tests.Resolving.Pipeline;

namespace Ferry.Core.Tests.Resolving;

public sealed class ResolverTests
{
    private static InputConfig App(params string[] passed) => new("app", "app", passed);
    private static InputConfig LibIn(params string[] passed) => new("lib", "lib", passed);

    [Fact]
    public void Resolve_TakesHighestCheckOrder_WhenLatest()
    {
        var p = new Pipeline();
        p.Builder.Version(Pipeline.App, 900, 1).Version(Pipeline.App, 5, 7).Version(Pipeline.App, 40, 3);
        p.Resolve(App()).Values["app"].VersionId.ShouldBe(5);
    }

    [Fact]
    public void Resolve_SkipsDisabledVersion_WhenLatest()
    {
        new Pipeline().Versions(Pipeline.App, 3, disabled: 3).Resolve(App()).Values["app"].VersionId.ShouldBe(V(Pipeline.App, 2));
    }

    [Fact]
    public void Resolve_ReportsLatestNotFound_WhenResourceHasNoVersions()
    {
        var result = new Pipeline().Resolve(App());
        result.Ok.ShouldBeFalse();
        result.Errors["app"].ShouldBe("latest version of resource not found");
    }

    [Fact]
    public void Resolve_SkipsDisabledVersion_WhenItCameThroughPassed()
    {
        var result = new Pipeline().Versions(Pipeline.App, 3, disabled: 3)
            .Passed(10, Unit, (Pipeline.App, 2)).Passed(11, Unit, (Pipeline.App, 3))
            .Resolve(App("unit"));
        result.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 2));
        result.Values["app"].PassedBuildIds.ShouldBe([10L]);
    }

    [Fact]
    public void Resolve_TakesVersionThatPassedAllJobs_WhenFanIn()
    {
        var result = new Pipeline().Versions(Pipeline.App, 3)
            .Passed(10, Unit, (Pipeline.App, 2)).Passed(11, Unit, (Pipeline.App, 3))
            .Passed(20, Integration, (Pipeline.App, 1)).Passed(21, Integration, (Pipeline.App, 2))
            .Resolve(App("unit", "integration"));
        result.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 2));
        result.Values["app"].PassedBuildIds.Order().ShouldBe([10L, 21L]);
    }

    [Fact]
    public void Resolve_TakesVersionsFromSameUpstreamBuild_WhenInputsShareJob()
    {
        // lib passed integration only as lib1, so app must come from the unit build that had lib1.
        var result = new Pipeline().Versions(Pipeline.App, 2).Versions(Pipeline.Lib, 2)
            .Passed(10, Unit, (Pipeline.App, 1), (Pipeline.Lib, 1)).Passed(11, Unit, (Pipeline.App, 2), (Pipeline.Lib, 2))
            .Passed(20, Integration, (Pipeline.Lib, 1))
            .Resolve(App("unit"), LibIn("unit", "integration"));
        result.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 1));
        result.Values["lib"].VersionId.ShouldBe(V(Pipeline.Lib, 1));
    }

    [Fact]
    public void Resolve_Backtracks_WhenNewestUpstreamBuildConflicts()
    {
        // unit's newest build has (app3, lib3) but integration never saw app3: back to unit's (app2, lib2).
        var result = new Pipeline().Versions(Pipeline.App, 3).Versions(Pipeline.Lib, 3)
            .Passed(10, Unit, (Pipeline.App, 2), (Pipeline.Lib, 2)).Passed(11, Unit, (Pipeline.App, 3), (Pipeline.Lib, 3))
            .Passed(20, Integration, (Pipeline.App, 2), (Pipeline.Lib, 2)).Passed(21, Integration, (Pipeline.App, 1), (Pipeline.Lib, 3))
            .Resolve(App("unit", "integration"), LibIn("unit", "integration"));
        result.Ok.ShouldBeTrue();
        result.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 2));
        result.Values["lib"].VersionId.ShouldBe(V(Pipeline.Lib, 2));
    }

    [Fact]
    public void Resolve_SolvesGroupsIndependently_WhenOneGroupIsUnsatisfiable()
    {
        var result = new Pipeline().Versions(Pipeline.App, 1).Versions(Pipeline.Lib, 1)
            .Passed(20, Integration, (Pipeline.Lib, 1))
            .Resolve(App("unit"), LibIn("integration"));
        result.Ok.ShouldBeFalse();
        result.Errors["app"].ShouldBe("no satisfiable builds from passed jobs found for set of inputs");
        result.Values["lib"].VersionId.ShouldBe(V(Pipeline.Lib, 1));
        result.Blockers["app"].ShouldContain(new InputBlocker("unit", "job 'unit' has no build that succeeded"));
    }

    [Fact]
    public void Resolve_ExplainsBlockingJob_WhenUpstreamNeverHadTheResource()
    {
        var result = new Pipeline().Versions(Pipeline.App, 1).Versions(Pipeline.Lib, 1)
            .Passed(10, Unit, (Pipeline.Lib, 1))
            .Resolve(App("unit"));
        result.Blockers["app"].ShouldBe([new InputBlocker("unit", "no build of job 'unit' that succeeded with a version of 'app'")]);
    }

    [Fact]
    public void Resolve_ExplainsJobsThatNeverMet_WhenFanInHasNoCommonVersion()
    {
        var result = new Pipeline().Versions(Pipeline.App, 2)
            .Passed(10, Unit, (Pipeline.App, 1)).Passed(20, Integration, (Pipeline.App, 2))
            .Resolve(App("unit", "integration"));
        result.Blockers["app"].ShouldBe([new InputBlocker("integration", "versions of 'app' from 'unit' and 'integration' never met in the same builds")]);
    }

    [Fact]
    public void Resolve_SortsRerunAtPlaceOfOriginal_WhenUpstreamBuildWasRerun()
    {
        // Build 30 reruns build 10: it stands behind build 20, so build 20's version wins.
        var result = new Pipeline().Versions(Pipeline.App, 2)
            .Run(10, Unit, false, null, (Pipeline.App, 1)).Passed(20, Unit, (Pipeline.App, 2)).Run(30, Unit, true, 10, (Pipeline.App, 1))
            .Resolve(App("unit"));
        result.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 2));
        result.Values["app"].PassedBuildIds.ShouldBe([20L]);
    }

    [Fact]
    public void Resolve_TakesNextAfterHighestEverUsed_WhenEveryWithoutPassed()
    {
        // The job used v3 then (pinned back) v1; every resumes after v3, skipping disabled v4.
        var result = new Pipeline().Versions(Pipeline.App, 6, disabled: 4)
            .Passed(50, Current, (Pipeline.App, 3)).Passed(51, Current, (Pipeline.App, 1))
            .Resolve(new InputConfig("app", "app", [], VersionMode.Every));
        result.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 5));
        result.HasNext.ShouldBeTrue();
    }

    [Fact]
    public void Resolve_TakesOldestNewerUpstreamBuild_WhenEveryWithPassed()
    {
        var p = new Pipeline().Versions(Pipeline.App, 4)
            .Passed(11, Unit, (Pipeline.App, 1)).Passed(12, Unit, (Pipeline.App, 2))
            .Passed(13, Unit, (Pipeline.App, 3)).Passed(14, Unit, (Pipeline.App, 4))
            .Passed(100, Current, (Pipeline.App, 2));
        p.Builder.Pipe(12, 100);
        var result = p.Resolve(new InputConfig("app", "app", ["unit"], VersionMode.Every));
        result.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 3));
        result.Values["app"].PassedBuildIds.ShouldBe([13L]);
        result.HasNext.ShouldBeTrue();
    }

    [Fact]
    public void Resolve_MovesToNextNewVersion_WhenEveryWithPassedAndLastUsedUpstreamBuildWasRerun()
    {
        // current used app1 through unit's build 11; build 20 reruns 11 (app1 again). It stands where 11 stands, so
        // it is no newer than what current used: every moves on to app2 (build 12), not app1 once more.
        var p = new Pipeline().Versions(Pipeline.App, 3)
            .Passed(11, Unit, (Pipeline.App, 1)).Passed(12, Unit, (Pipeline.App, 2)).Passed(13, Unit, (Pipeline.App, 3))
            .Passed(100, Current, (Pipeline.App, 1))
            .Run(20, Unit, true, 11, (Pipeline.App, 1));
        p.Builder.Pipe(11, 100);
        var result = p.Resolve(new InputConfig("app", "app", ["unit"], VersionMode.Every));
        result.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 2));
        result.Values["app"].PassedBuildIds.ShouldBe([12L]);
        result.HasNext.ShouldBeTrue();
    }

    [Fact]
    public void Resolve_MovesToNextNewVersion_WhenEveryWithPassedUsedARerunThatWasRerunAgain()
    {
        // 11 failed; its rerun 20 fed current's build with app1; a second rerun 21 of 11 gives app1 again.
        var p = new Pipeline().Versions(Pipeline.App, 2)
            .Run(11, Unit, false, null, (Pipeline.App, 1)).Passed(12, Unit, (Pipeline.App, 2))
            .Run(20, Unit, true, 11, (Pipeline.App, 1)).Run(21, Unit, true, 11, (Pipeline.App, 1))
            .Passed(100, Current, (Pipeline.App, 1));
        p.Builder.Pipe(20, 100);
        var result = p.Resolve(new InputConfig("app", "app", ["unit"], VersionMode.Every));
        result.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 2));
        result.Values["app"].PassedBuildIds.ShouldBe([12L]);
    }

    [Fact]
    public void Resolve_KeepsLastVersion_WhenEveryWithPassedHasOnlyARerunOfTheLastUsedBuild()
    {
        // Nothing newer than build 12 but its rerun 20: current stays on app2 and has no next.
        var p = new Pipeline().Versions(Pipeline.App, 2)
            .Passed(11, Unit, (Pipeline.App, 1)).Passed(12, Unit, (Pipeline.App, 2))
            .Passed(100, Current, (Pipeline.App, 2))
            .Run(20, Unit, true, 12, (Pipeline.App, 2));
        p.Builder.Pipe(12, 100);
        var result = p.Resolve(new InputConfig("app", "app", ["unit"], VersionMode.Every));
        result.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 2));
        result.HasNext.ShouldBeFalse();
    }

    [Fact]
    public void Resolve_ReportsPinnedNotFound_WhenPinNamesNoVersion()
    {
        var result = new Pipeline().Versions(Pipeline.App, 2)
            .Resolve(new InputConfig("app", "app", [], VersionMode.Pinned, new VersionPin("ver:nope", null)));
        result.Errors["app"].ShouldBe("pinned version ver:nope not found");
    }

    [Fact]
    public void Resolve_TakesExactlyPinnedVersion_WhenPinned()
    {
        var result = new Pipeline().Versions(Pipeline.App, 3)
            .Resolve(new InputConfig("app", "app", [], VersionMode.Pinned, new VersionPin("ver:1", V(Pipeline.App, 1))));
        result.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 1));
    }

    [Fact]
    public void Resolve_MarksFirstOccurrence_OnlyWhenJobNeverUsedTheVersion()
    {
        var p = new Pipeline().Versions(Pipeline.App, 2).Run(50, Current, false, null, (Pipeline.App, 2));
        var used = p.Resolve(new InputConfig("app", "app", [], Trigger: true));
        used.Values["app"].FirstOccurrence.ShouldBeFalse();
        used.TriggersBuild.ShouldBeFalse();

        p.Builder.Version(Pipeline.App, V(Pipeline.App, 3), 3);
        var fresh = p.Resolve(new InputConfig("app", "app", [], Trigger: true));
        fresh.Values["app"].VersionId.ShouldBe(V(Pipeline.App, 3));
        fresh.Values["app"].FirstOccurrence.ShouldBeTrue();
        fresh.TriggersBuild.ShouldBeTrue();
    }
}
