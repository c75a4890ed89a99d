using Ferry.Core.Audit;
using Ferry.Core.Promotion;
using Microsoft.Data.Sqlite;
using Npgsql;
using PromotionEntity = Ferry.Core.Promotion.Promotion;

namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    private static readonly EnvironmentNode[] Chain =
    [
        new("development", []),
        new("staging", ["development"]),
        new("production", ["staging"]),
    ];

    private sealed record PromotionSetup(TestPipeline Pipeline, IReadOnlyDictionary<string, EnvironmentRecord> Environments);

    private async Task<PromotionSetup> NewChainAsync(IStore? store = null)
    {
        store ??= Store;
        var pipeline = await NewPipelineAsync(store, ["app", "cfg"], ["unit"]);
        var environments = await store.SyncEnvironmentsAsync(pipeline.Id, Chain);
        return new PromotionSetup(pipeline, environments.ToDictionary(e => e.Name));
    }

    /// <summary>A release of app@<paramref name="appRef"/> (and cfg@c1).</summary>
    private async Task<SavedRelease> ReleaseAsync(TestPipeline pipeline, string appRef, IStore? store = null)
    {
        store ??= Store;
        var app = await store.SaveVersionsAsync(pipeline.Resources["app"], [V(appRef)]);
        var cfg = await store.SaveVersionsAsync(pipeline.Resources["cfg"], [V("c1")]);
        return await store.SaveReleaseAsync(pipeline.Id,
            [new ReleaseVersionInput(pipeline.Resources["app"], app[0].Id), new ReleaseVersionInput(pipeline.Resources["cfg"], cfg[0].Id)]);
    }

    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    private static EnvironmentLoad Load(PromotionSetup setup, string environment, ApprovalRule? approval = null, int? release = null, long? promotion = null) =>
        new(setup.Environments[environment].Id, new EnvironmentPolicy(environment, Auto: true, Approval: approval), release is { } r ? [r] : null,
            promotion is { } p ? [p] : null);

    /// <summary>Asks the environment aggregate for a promotion, as the promoter (auto) or a person does, and saves it.</summary>
    private Task<PromotionEntity> RequestAsync(PromotionSetup setup, string environment, int release, PromotionTrigger trigger = PromotionTrigger.Auto,
        string actor = "olga", ApprovalRule? approval = null, IStore? store = null) =>
        (store ?? Store).ChangeEnvironmentAsync(Load(setup, environment, approval, release), e => trigger switch
        {
            PromotionTrigger.Auto => e.Promote(release, trigger, Actor.System, At),
            PromotionTrigger.Manual => e.Promote(release, trigger, Actor.Owner(actor), At),
            _ => e.RollBack(release, Actor.Owner(actor), At),
        });

    private async Task StartAsync(PromotionSetup setup, string environment, long promotion)
    {
        var build = await Store.CreateBuildAsync(new NewBuild(setup.Pipeline.Id, null, "{}", [], []));
        await Store.ChangeEnvironmentAsync(Load(setup, environment), e =>
        {
            e.Start(promotion, build.Id);
            return true;
        });
    }

    private async Task<PromotionRecord> FinishAsync(PromotionSetup setup, string environment, long promotion, PromotionStatus end)
    {
        await Store.ChangeEnvironmentAsync(Load(setup, environment, promotion: promotion), e =>
        {
            if (end == PromotionStatus.Succeeded)
                e.Verify(promotion);
            return e.Finish(promotion, end, end is PromotionStatus.Succeeded ? null : "smoke test failed", At);
        });
        return (await Store.GetPromotionAsync(promotion))!;
    }

    private async Task<PromotionRecord> PromoteThroughAsync(PromotionSetup setup, string environment, int release, PromotionStatus end = PromotionStatus.Succeeded,
        PromotionTrigger trigger = PromotionTrigger.Auto)
    {
        var promotion = await RequestAsync(setup, environment, release, trigger);
        await StartAsync(setup, environment, promotion.Id);
        return await FinishAsync(setup, environment, promotion.Id, end);
    }

    [StoreFact]
    public async Task ListRetiredEnvironments_ListsAnEnvironmentThatLeftAfterAPromotion_UntilMarkedTornDown()
    {
        var setup = await NewChainAsync();
        var r1 = (await ReleaseAsync(setup.Pipeline, "a1")).Release;
        await PromoteThroughAsync(setup, "development", r1.Number);
        await PromoteThroughAsync(setup, "staging", r1.Number);
        await Store.SyncEnvironmentsAsync(setup.Pipeline.Id, [Chain[0]]);

        var retired = await Store.ListRetiredEnvironmentsAsync(setup.Pipeline.Id);
        retired.Select(e => e.Name).ShouldBe(["staging"], "production left too, but nothing was ever promoted there");
        retired[0].CurrentRelease.ShouldBe(r1.Number);

        await Store.MarkTornDownAsync(retired[0].Id, null);
        (await Store.ListRetiredEnvironmentsAsync(setup.Pipeline.Id)).ShouldBeEmpty();

        await Store.SyncEnvironmentsAsync(setup.Pipeline.Id, Chain);
        (await Store.ListRetiredEnvironmentsAsync(setup.Pipeline.Id)).ShouldBeEmpty();
        await Store.SyncEnvironmentsAsync(setup.Pipeline.Id, [Chain[0]]);
        (await Store.ListRetiredEnvironmentsAsync(setup.Pipeline.Id)).Select(e => e.Name).ShouldBe(["staging"], "back and gone again: torn down again");
    }

    [StoreFact]
    public async Task SyncEnvironments_StoresChainInOrder_AndDeactivatesDropped()
    {
        var pipeline = await NewPipelineAsync(Store, ["app"], []);
        await Store.SyncEnvironmentsAsync(pipeline.Id, [.. Chain.Reverse()]);
        var listed = await Store.ListEnvironmentsAsync(pipeline.Id);
        listed.Select(e => e.Name).ShouldBe(["development", "staging", "production"]);
        listed[2].Upstream.ShouldBe(["staging"]);

        await Store.SyncEnvironmentsAsync(pipeline.Id, [Chain[0], new EnvironmentNode("production", ["development"], AnyUpstream: true)]);
        (await Store.ListEnvironmentsAsync(pipeline.Id)).Select(e => e.Name).ShouldBe(["development", "production"]);
        (await Store.GetEnvironmentAsync(pipeline.Id, "production"))!.AnyUpstream.ShouldBeTrue();
        (await Store.GetEnvironmentAsync(pipeline.Id, "staging")).ShouldBeNull();
        await Should.ThrowAsync<ArgumentException>(() => Store.SyncEnvironmentsAsync(pipeline.Id, [new EnvironmentNode("a", ["a"])]));
    }

    [StoreFact]
    public async Task SaveRelease_IsContentAddressed_AndNumbersNewOnes()
    {
        var setup = await NewChainAsync();
        var first = await ReleaseAsync(setup.Pipeline, "a1");
        var again = await ReleaseAsync(setup.Pipeline, "a1");
        var second = await ReleaseAsync(setup.Pipeline, "a2");

        first.IsNew.ShouldBeTrue();
        first.Release.Name.ShouldBe("r1");
        again.IsNew.ShouldBeFalse();
        again.Release.Id.ShouldBe(first.Release.Id);
        second.Release.Number.ShouldBe(2);
        first.Release.Content.Id.ShouldBe(Release.Create(
            new ReleaseItem("app", new Dictionary<string, string> { ["ref"] = "a1" }),
            new ReleaseItem("cfg", new Dictionary<string, string> { ["ref"] = "c1" })).Id);
        first.Release.Versions.Select(v => v.Resource).ShouldBe(["app", "cfg"]);
        (await Store.ListReleasesAsync(setup.Pipeline.Id)).Select(r => r.Name).ShouldBe(["r2", "r1"]);
        (await Store.GetReleaseAsync(setup.Pipeline.Id, 9)).ShouldBeNull();
    }

    [StoreFact]
    public async Task SaveRelease_Throws_WhenVersionBelongsToAnotherResource()
    {
        var setup = await NewChainAsync();
        var app = await Store.SaveVersionsAsync(setup.Pipeline.Resources["app"], [V("a1")]);
        (await Should.ThrowAsync<StoreException>(() => Store.SaveReleaseAsync(setup.Pipeline.Id,
            [new ReleaseVersionInput(setup.Pipeline.Resources["cfg"], app[0].Id)]))).Message.ShouldContain("is not a version of resource");
    }

    [StoreFact]
    public async Task ChangeEnvironment_RefusesSkippingStaging_AndSavesNothing()
    {
        var setup = await NewChainAsync();
        var release = (await ReleaseAsync(setup.Pipeline, "a1")).Release;
        await PromoteThroughAsync(setup, "development", release.Number);

        var refused = await Should.ThrowAsync<PromotionRefusedException>(() => RequestAsync(setup, "production", release.Number, PromotionTrigger.Manual));
        refused.Refusal.Kind.ShouldBe(RefusalKind.WouldSkipEnvironment);
        refused.Message.ShouldBe("r1 cannot be promoted into production: that would skip staging (r1 is verified in development only).");
        (await Should.ThrowAsync<PromotionRefusedException>(() => RequestAsync(setup, "production", release.Number, PromotionTrigger.Rollback))).Refusal.Kind
            .ShouldBe(RefusalKind.NotVerifiedForRollback);
        (await Store.ListPromotionsAsync(setup.Pipeline.Id, "production")).ShouldBeEmpty();
    }

    [StoreFact]
    public async Task ChangeEnvironment_RecordsVerifiedInAndCurrent_WhenSucceeded()
    {
        var setup = await NewChainAsync();
        var release = (await ReleaseAsync(setup.Pipeline, "a1")).Release;

        var done = await PromoteThroughAsync(setup, "development", release.Number);
        await PromoteThroughAsync(setup, "staging", release.Number);

        done.Status.ShouldBe(PromotionStatus.Succeeded);
        done.EndedAt.ShouldNotBeNull();
        var stored = (await Store.GetReleaseAsync(setup.Pipeline.Id, release.Number))!;
        stored.VerifiedIn.ShouldBe(["development", "staging"]);
        var staging = (await Store.GetEnvironmentAsync(setup.Pipeline.Id, "staging"))!;
        staging.CurrentRelease.ShouldBe(1);
        staging.LastPromotionStatus.ShouldBe(PromotionStatus.Succeeded);
        staging.PromotionOpen.ShouldBeFalse();
        var production = await RequestAsync(setup, "production", 1, PromotionTrigger.Manual, "alice", new ApprovalRule(1, ["ops"]));
        production.Status.ShouldBe(PromotionStatus.AwaitingApproval);
        (await Store.GetPromotionAsync(production.Id))!.Status.ShouldBe(PromotionStatus.AwaitingApproval);
        (await Store.GetEnvironmentAsync(setup.Pipeline.Id, "production"))!.PromotionOpen.ShouldBeTrue();
    }

    [StoreFact]
    public async Task ChangeEnvironment_KeepsLastGoodRelease_WhenFailed()
    {
        var setup = await NewChainAsync();
        var r1 = (await ReleaseAsync(setup.Pipeline, "a1")).Release;
        var r2 = (await ReleaseAsync(setup.Pipeline, "a2")).Release;
        await PromoteThroughAsync(setup, "development", r1.Number);

        var failed = await PromoteThroughAsync(setup, "development", r2.Number, PromotionStatus.Failed);

        failed.Reason.ShouldBe("smoke test failed");
        var development = (await Store.GetEnvironmentAsync(setup.Pipeline.Id, "development"))!;
        development.CurrentRelease.ShouldBe(1);
        development.LastPromotionStatus.ShouldBe(PromotionStatus.Failed);
        var standing = (await Store.GetReleaseAsync(setup.Pipeline.Id, r2.Number))!.ToStanding();
        standing.VerifiedIn.ShouldBeEmpty();
        standing.HasFailedIn("development").ShouldBeTrue();
        (await Store.GetReleaseAsync(setup.Pipeline.Id, r1.Number))!.ToStanding().HasFailedIn("development").ShouldBeFalse();
        (await Should.ThrowAsync<PromotionStateException>(() => FinishAsync(setup, "development", failed.Id, PromotionStatus.Succeeded)))
            .Message.ShouldBe($"promotion {failed.Id} (r2 into development): cannot go from failed to verifying");
        (await Store.GetPromotionAsync(failed.Id))!.Status.ShouldBe(PromotionStatus.Failed);
    }

    [StoreFact]
    public async Task ChangeEnvironment_RefusesSecondStart_WhenAnotherIsDeploying()
    {
        var setup = await NewChainAsync();
        var r1 = (await ReleaseAsync(setup.Pipeline, "a1")).Release;
        var r2 = (await ReleaseAsync(setup.Pipeline, "a2")).Release;
        var first = await RequestAsync(setup, "development", r1.Number);
        var second = await RequestAsync(setup, "development", r2.Number, PromotionTrigger.Manual, "bob");
        await StartAsync(setup, "development", first.Id);

        (await Should.ThrowAsync<PromotionRefusedException>(() => StartAsync(setup, "development", second.Id)))
            .Refusal.Message.ShouldBe($"r2 cannot start in development: promotion {first.Id} is deploying there.");
        (await Store.ListPromotionsInStatusAsync([PromotionStatus.Pending])).ShouldContain(p => p.Id == second.Id);
    }

    [StoreFact]
    public async Task ChangeEnvironment_RefusesTheSameReleaseTwice_WhileItsPromotionIsOpen()
    {
        var setup = await NewChainAsync();
        var r1 = (await ReleaseAsync(setup.Pipeline, "a1")).Release;
        var first = await RequestAsync(setup, "development", r1.Number, PromotionTrigger.Manual, "alice");

        (await Should.ThrowAsync<PromotionRefusedException>(() => RequestAsync(setup, "development", r1.Number, PromotionTrigger.Manual, "bob")))
            .Refusal.Kind.ShouldBe(RefusalKind.PromotionOpen);
        (await Store.ListPromotionsAsync(setup.Pipeline.Id, "development")).ShouldHaveSingleItem().Id.ShouldBe(first.Id);
    }

    [StoreFact]
    public async Task ChangeEnvironment_LetsOnlyOneStart_WhenManyRaceIntoOneEnvironment()
    {
        var setup = await NewChainAsync();
        var promotions = new List<PromotionEntity>();
        for (var i = 0; i < 6; i++)
        {
            var release = (await ReleaseAsync(setup.Pipeline, $"a{i}")).Release;
            promotions.Add(await RequestAsync(setup, "development", release.Number, PromotionTrigger.Manual, $"u{i}"));
        }

        var results = await Task.WhenAll(promotions.Select(async p =>
        {
            try
            {
                await StartAsync(setup, "development", p.Id);
                return true;
            }
            catch (PromotionRefusedException)
            {
                return false;
            }
        }));

        results.Count(ok => ok).ShouldBe(1);
        (await Store.ListPromotionsAsync(setup.Pipeline.Id, "development")).Count(p => p.Status == PromotionStatus.Deploying).ShouldBe(1);
        (await Store.GetEnvironmentAsync(setup.Pipeline.Id, "development"))!.PromotionOpen.ShouldBeTrue();
    }

    [StoreFact]
    public async Task ChangeEnvironment_SavesNothing_WhenTheDecisionThrows()
    {
        var setup = await NewChainAsync();
        var r1 = (await ReleaseAsync(setup.Pipeline, "a1")).Release;

        await Should.ThrowAsync<PromotionStateException>(() => Store.ChangeEnvironmentAsync<bool>(Load(setup, "development", release: r1.Number), e =>
        {
            e.Promote(r1.Number, PromotionTrigger.Manual, Actor.Owner("olga"), At);
            e.SetHold(Actor.Owner("olga"), "freeze", At);
            throw new PromotionStateException("a bug after deciding");
        }));

        (await Store.ListPromotionsAsync(setup.Pipeline.Id, "development")).ShouldBeEmpty();
        (await Store.GetEnvironmentAsync(setup.Pipeline.Id, "development"))!.Hold.ShouldBeNull();
        (await Store.ListAuditAsync(setup.Pipeline.Id)).ShouldAllBe(a => a.Action == AuditActions.ConfigSet, "only the config set before");
    }

    [StoreFact]
    public async Task DecideApproval_ApprovesAfterTwoDistinctApprovers_AndAudits()
    {
        var setup = await NewChainAsync();
        var r1 = (await ReleaseAsync(setup.Pipeline, "a1")).Release;
        var rule = new ApprovalRule(2, ["ops"]);
        var promotion = await RequestAsync(setup, "development", r1.Number, PromotionTrigger.Manual, "alice", rule);

        await Should.ThrowAsync<PromotionRefusedException>(() => DecideAsync(setup, rule, promotion.Id, Actor.User("alice", "ops"), true));
        (await DecideAsync(setup, rule, promotion.Id, Actor.User("bob", "ops"), true, "lgtm")).Status.ShouldBe(PromotionStatus.AwaitingApproval);
        await Should.ThrowAsync<PromotionRefusedException>(() => DecideAsync(setup, rule, promotion.Id, Actor.User("bob", "ops"), true));
        var approved = await DecideAsync(setup, rule, promotion.Id, Actor.User("carol", "ops"), true);

        approved.Status.ShouldBe(PromotionStatus.Approved);
        approved.Votes.Select(v => v.Approver).ShouldBe(["bob", "carol"]);
        approved.Votes[0].Comment.ShouldBe("lgtm");
        var audit = await Store.ListAuditAsync(setup.Pipeline.Id);
        audit.Select(a => a.Action).ShouldBe([AuditActions.Approval, AuditActions.Approval, AuditActions.Promotion, AuditActions.ConfigSet]);
        audit[0].Actor.ShouldBe("carol");
        audit[2].Actor.ShouldBe("alice");
        audit[2].ReleaseNumber.ShouldBe(1);
    }

    [StoreFact]
    public async Task DecideApproval_EndsPromotion_WhenRejected()
    {
        var setup = await NewChainAsync();
        var r1 = (await ReleaseAsync(setup.Pipeline, "a1")).Release;
        var rule = new ApprovalRule(1, []);
        var promotion = await RequestAsync(setup, "development", r1.Number, PromotionTrigger.Manual, "alice", rule);

        (await Should.ThrowAsync<PromotionRefusedException>(() => DecideAsync(setup, rule, promotion.Id, Actor.User("dora"), false)))
            .Message.ShouldContain("operator role", customMessage: "an approval without from admits operators, not anyone who can see the pipeline");
        var rejected = await DecideAsync(setup, rule, promotion.Id, Actor.Operator("bob"), false, "freeze");

        rejected.Status.ShouldBe(PromotionStatus.Rejected);
        rejected.EndedAt.ShouldNotBeNull();
        (await Store.ListAuditAsync(setup.Pipeline.Id))[0].Action.ShouldBe(AuditActions.Rejection);
        (await Should.ThrowAsync<PromotionRefusedException>(() => DecideAsync(setup, rule, promotion.Id, Actor.Operator("carol"), true)))
            .Message.ShouldContain("it is rejected, not awaiting_approval");
    }

    private async Task<PromotionRecord> DecideAsync(PromotionSetup setup, ApprovalRule rule, long promotion, Actor approver, bool approve, string? comment = null)
    {
        await Store.ChangeEnvironmentAsync(Load(setup, "development", rule, promotion: promotion), e =>
        {
            if (approve)
                e.Approve(promotion, approver, At, comment);
            else
                e.Reject(promotion, approver, At, comment);
            return true;
        });
        return (await Store.GetPromotionAsync(promotion))!;
    }

    [StoreFact]
    public async Task ChangeEnvironment_RollbackSetsHold_AndManualPromotionLiftsIt()
    {
        var setup = await NewChainAsync();
        var r1 = (await ReleaseAsync(setup.Pipeline, "a1")).Release;
        var r2 = (await ReleaseAsync(setup.Pipeline, "a2")).Release;
        await PromoteThroughAsync(setup, "development", r1.Number);
        await PromoteThroughAsync(setup, "development", r2.Number);

        var rollback = await PromoteThroughAsync(setup, "development", r1.Number, trigger: PromotionTrigger.Rollback);

        rollback.Trigger.ShouldBe(PromotionTrigger.Rollback);
        var development = (await Store.GetEnvironmentAsync(setup.Pipeline.Id, "development"))!;
        development.CurrentRelease.ShouldBe(1);
        development.Hold!.Reason.ShouldBe("a rollback to r1");
        development.Hold.SetBy.ShouldBe("olga");
        var decision = PromotionPolicy.NextAuto(new EnvironmentGraph(Chain), new EnvironmentPolicy("development", Auto: true), development.ToState(),
            (await Store.ListReleasesAsync(setup.Pipeline.Id)).Select(r => r.ToStanding()));
        decision.Refusal!.Kind.ShouldBe(RefusalKind.DuringHold);

        (await Should.ThrowAsync<PromotionRefusedException>(() => RequestAsync(setup, "development", r2.Number))).Refusal.Kind.ShouldBe(RefusalKind.DuringHold);

        await RequestAsync(setup, "development", r2.Number, PromotionTrigger.Manual, "bob");
        (await Store.GetEnvironmentAsync(setup.Pipeline.Id, "development"))!.Hold.ShouldBeNull();
        var actions = (await Store.ListAuditAsync(setup.Pipeline.Id)).Select(a => a.Action).ToList();
        actions[..2].ShouldBe([AuditActions.HoldLifted, AuditActions.Promotion]);
        (await Store.ListAuditAsync(setup.Pipeline.Id))[0].Detail.ShouldBe("lifted by promoting r2");
        actions.ShouldContain(AuditActions.Rollback);
        actions.ShouldContain(AuditActions.Hold);
    }

    [StoreFact]
    public async Task ChangeEnvironment_SetsAndLiftsHold_WithAudit()
    {
        var setup = await NewChainAsync();
        Task<bool> Change(Action<Ferry.Core.Promotion.Environment> change) => Store.ChangeEnvironmentAsync(Load(setup, "production"), e =>
        {
            change(e);
            return true;
        });

        await Change(e => e.SetHold(Actor.Owner("olga"), "freeze", At));
        (await Store.GetEnvironmentAsync(setup.Pipeline.Id, "production"))!.Hold.ShouldBe(new Hold("olga", "a hold (freeze)", At));
        await Change(e => e.LiftHold(Actor.Owner("olga")));
        await Change(e => e.LiftHold(Actor.Owner("olga")));
        (await Store.GetEnvironmentAsync(setup.Pipeline.Id, "production"))!.Hold.ShouldBeNull();

        (await Store.ListAuditAsync(setup.Pipeline.Id)).Select(a => a.Action).ShouldBe([AuditActions.HoldLifted, AuditActions.Hold, AuditActions.ConfigSet]);
    }

    [StoreFact]
    public async Task SetReleaseDisabled_MakesReleaseIneligible()
    {
        var setup = await NewChainAsync();
        var r1 = (await ReleaseAsync(setup.Pipeline, "a1")).Release;
        (await Store.SetReleaseDisabledAsync(setup.Pipeline.Id, r1.Number, true, "olga")).ShouldBeTrue();
        (await Store.SetReleaseDisabledAsync(setup.Pipeline.Id, 42, true, "olga")).ShouldBeFalse();

        (await Should.ThrowAsync<PromotionRefusedException>(() => RequestAsync(setup, "development", r1.Number, PromotionTrigger.Manual)))
            .Refusal.Kind.ShouldBe(RefusalKind.ReleaseDisabled);
    }

    [StoreFact]
    public async Task Variables_KeepSecretsEncrypted_AndNeverListValues()
    {
        var database = await Target.CreateDatabaseAsync();
        var store = await OpenAsync(database);
        var setup = await NewChainAsync(store);
        var staging = setup.Environments["staging"].Id;

        await store.SetVariableAsync(staging, "API_URL", "https://staging.example", secret: false, "olga");
        await store.SetVariableAsync(staging, "TOKEN", "s3cr3t-value", secret: true, "olga");
        await store.SetVariableAsync(staging, "LOG_LEVEL", null, secret: false, "olga");

        var listed = await store.ListVariablesAsync(staging);
        listed.Select(v => (v.Name, v.Value, v.Secret, v.HasValue)).ShouldBe(
            [("API_URL", "https://staging.example", false, true), ("LOG_LEVEL", null, false, false), ("TOKEN", null, true, true)]);
        var values = await store.GetVariableValuesAsync(staging);
        values["TOKEN"].ShouldBe("s3cr3t-value");
        values.ContainsKey("LOG_LEVEL").ShouldBeFalse();
        File.Exists(Path.Combine(database.DataDirectory, "secrets.key")).ShouldBeTrue();
        (await RawVariableValuesAsync(database)).ShouldContain(v => v != null && v.StartsWith("v1:"));
        (await RawVariableValuesAsync(database)).ShouldNotContain("s3cr3t-value");
        (await store.ListAuditAsync(setup.Pipeline.Id)).ShouldAllBe(a => a.Detail == null || !a.Detail.Contains("s3cr3t"));
        (await store.DeleteVariableAsync(staging, "TOKEN", "olga")).ShouldBeTrue();
        (await store.GetVariableValuesAsync(staging)).ContainsKey("TOKEN").ShouldBeFalse();
    }

    /// <summary>What the database itself holds, read past the store: secrets must be ciphertext there.</summary>
    private static Task<List<string?>> RawVariableValuesAsync(TargetDatabase database) =>
        RawColumnAsync(database, "SELECT value FROM environment_variables");

    /// <summary>One column of what the database itself holds, read past the store (secrets must be ciphertext there).</summary>
    private static async Task<List<string?>> RawColumnAsync(TargetDatabase database, string sql)
    {
        await using System.Data.Common.DbConnection connection = database.Connection is { } pg
            ? new NpgsqlConnection(pg)
            : new SqliteConnection($"Data Source={Path.Combine(database.DataDirectory, StoreFactory.SqliteFileName)}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var values = new List<string?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? null : reader.GetString(0));
        }
        return values;
    }
}
