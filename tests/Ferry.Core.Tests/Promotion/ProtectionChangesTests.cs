using Ferry.Core.Pipelines;
using Ferry.Core.Promotion;

namespace Ferry.Core.Tests.Promotion;

public sealed class ProtectionChangesTests
{
    private static PipelineConfig Config(string production, string staging = "from: [development]") =>
        PipelineLoader.Load($$"""
            resources:
              - name: app
                type: git
                source: { uri: "file:///tmp/app.git" }
            jobs:
              - name: unit
                plan: [{ get: app, trigger: true }]
            environments:
              - name: development
                release: [app]
                from: [unit]
                deploy: [{ task: d, config: { platform: linux, run: { path: "true" } } }]
              - name: staging
                {{staging}}
                deploy: [{ task: d, config: { platform: linux, run: { path: "true" } } }]
              - name: production
                {{production}}
                deploy: [{ task: d, config: { platform: linux, run: { path: "true" } } }]
            """, "pipeline.yml").Pipeline ?? throw new ShouldAssertException("the test config does not load");

    private const string Guarded = "from: [staging]\n    protected: true\n    approval: { required: 2, from: [ops] }";

    [Fact]
    public void Weakened_IsEmpty_WhenNothingIsLoosened()
    {
        ProtectionChanges.Weakened(Config(Guarded), Config(Guarded + "\n    promote: manual")).ShouldBeEmpty();
        ProtectionChanges.Weakened(null, Config("from: [staging]")).ShouldBeEmpty();
        ProtectionChanges.Weakened(Config("from: [staging]"), Config(Guarded)).ShouldBeEmpty("tightening needs no owner");
    }

    [Fact]
    public void Weakened_NamesEachField_WhenProtectionIsTakenAway()
    {
        var loose = Config("from: [development]\n    approval: { required: 1, from: [ops, dev], allow_self: true }");

        ProtectionChanges.Weakened(Config(Guarded), loose).Select(w => w.ToString()).ShouldBe([
            "environments.production.protected: no longer protected",
            "environments.production.approval.required: lowered from 2 to 1",
            "environments.production.approval.from: dev may now approve",
            "environments.production.approval.allow_self: the requester may now approve their own promotion",
            "environments.production.from: releases no longer need to be verified in staging",
        ]);
    }

    [Fact]
    public void Weakened_Finds_RemovedApprovalAndAnyUpstream()
    {
        var weakened = ProtectionChanges.Weakened(Config(Guarded, "from: [development]"),
            Config("from: [staging, development]\n    from_policy: any\n    protected: true"));

        weakened.Select(w => w.Field).ShouldBe(["approval", "from_policy"]);
    }
}
