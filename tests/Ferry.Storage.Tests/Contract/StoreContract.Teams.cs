namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task SaveUser_KeepsARolePerTeam_AndSetTeamRoleChangesOne()
    {
        var name = UniqueName("u");

        var saved = await Store.SaveUserAsync(name, owner: false,
            [new TeamMembership("main", TeamRole.Viewer), new TeamMembership("web", TeamRole.Operator), new TeamMembership("main", TeamRole.Member)]);
        var changed = await Store.SetTeamRoleAsync(name, "web", TeamRole.Owner);
        var removed = await Store.SetTeamRoleAsync(name, "main", null);

        saved.Memberships.ShouldBe([new TeamMembership("main", TeamRole.Member), new TeamMembership("web", TeamRole.Operator)]);
        saved.RoleIn("main").ShouldBe(TeamRole.Member);
        saved.RoleIn("ops").ShouldBeNull();
        changed!.RoleIn("web").ShouldBe(TeamRole.Owner);
        removed!.Teams.ShouldBe(["web"]);
        (await Store.GetUserAsync(name))!.Memberships.ShouldBe([new TeamMembership("web", TeamRole.Owner)]);
        (await Store.SetTeamRoleAsync(UniqueName("nobody"), "web", TeamRole.Viewer)).ShouldBeNull();
    }

    [StoreFact]
    public async Task RemoveUser_TakesTheTokensWithIt_AndRefusesTheLastOwner()
    {
        var store = await OpenFreshAsync();
        await store.SaveUserAsync("first", owner: true, []);
        await store.SaveUserAsync("leaving", owner: false, [new TeamMembership("main", TeamRole.Operator)]);
        var token = await store.CreateApiTokenAsync("leaving");

        (await store.RemoveUserAsync("leaving")).ShouldBeTrue();

        (await store.AuthenticateTokenAsync(token.Token)).ShouldBeNull();
        (await store.GetApiTokenAsync(token.Id)).ShouldBeNull();
        (await store.RemoveUserAsync("leaving")).ShouldBeFalse();
        (await Should.ThrowAsync<LastOwnerException>(() => store.RemoveUserAsync("first"))).Message
            .ShouldBe("first cannot be removed: first is the only owner (make another owner first)");
        (await Should.ThrowAsync<LastOwnerException>(() => store.SaveUserAsync("first", owner: false, []))).Message
            .ShouldStartWith("first cannot stop being an owner");
        await store.SaveUserAsync("second", owner: true, []);
        (await store.RemoveUserAsync("first")).ShouldBeTrue();
    }

    [StoreFact]
    public async Task ApiTokens_AreListedWithoutTheirSecret_PerUserOrAll()
    {
        var alice = UniqueName("alice");
        var bob = UniqueName("bob");
        await Store.UpsertUserAsync(alice, owner: false, []);
        await Store.UpsertUserAsync(bob, owner: false, []);
        var laptop = await Store.CreateApiTokenAsync(alice, "laptop");
        var ci = await Store.CreateApiTokenAsync(alice, "ci");
        var bobs = await Store.CreateApiTokenAsync(bob);

        var alices = await Store.ListApiTokensAsync(alice);
        await Store.AuthenticateTokenAsync(ci.Token);

        alices.Select(t => (t.Id, t.User, t.Label)).ShouldBe([(laptop.Id, alice, "laptop"), (ci.Id, alice, "ci")]);
        alices.ShouldAllBe(t => t.LastUsedAt == null);
        (await Store.GetApiTokenAsync(ci.Id))!.LastUsedAt.ShouldNotBeNull();
        (await Store.ListApiTokensAsync()).Select(t => t.Id).ShouldContain(bobs.Id);
        (await Store.ListApiTokensAsync()).Select(t => t.Id).ShouldContain(laptop.Id);
    }

    [StoreFact]
    public async Task CreateFirstOwner_MakesAnOwnerWithAToken_OnlyOnAStoreWithoutUsers()
    {
        var store = await OpenFreshAsync();

        var first = await store.CreateFirstOwnerAsync("admin", "first start");
        var again = await store.CreateFirstOwnerAsync("admin", "first start");

        first.ShouldNotBeNull();
        (await store.AuthenticateTokenAsync(first.Token))!.Owner.ShouldBeTrue();
        (await store.ListApiTokensAsync("admin")).Single().Label.ShouldBe("first start");
        again.ShouldBeNull();
    }

    [StoreFact]
    public async Task SetPipeline_PutsTheFirstVersionInMain_AndKeepsOrMovesTheTeamAfter()
    {
        var name = UniqueName("p");

        await Store.SetPipelineAsync(Config(name, [], []));
        var created = (await Store.GetPipelineAsync(name))!;
        await Store.SetPipelineAsync(Config(name, [], []) with { Team = "web" });
        var moved = (await Store.GetPipelineAsync(name))!;
        await Store.SetPipelineAsync(Config(name, [], []));

        created.Team.ShouldBe(PipelineRecord.DefaultTeam);
        moved.Team.ShouldBe("web");
        (await Store.GetPipelineAsync(name))!.Team.ShouldBe("web");
        (await Store.ListPipelinesAsync()).Single(p => p.Name == name).Team.ShouldBe("web");
        (await Store.GetPipelineByIdAsync(moved.Id))!.Team.ShouldBe("web");
    }

    [StoreFact]
    public async Task ListBuilds_KeepsToThePipelinesGiven_WhenPipelineIdsAreSet()
    {
        var seen = await NewPipelineAsync(Store, [], ["unit"]);
        var hidden = await NewPipelineAsync(Store, [], ["unit"]);
        var mine = await Store.CreateBuildAsync(new NewBuild(seen.Id, seen.Jobs["unit"], "{}", [], []));
        var theirs = await Store.CreateBuildAsync(new NewBuild(hidden.Id, hidden.Jobs["unit"], "{}", [], []));

        var listed = await Store.ListBuildsAsync(new BuildQuery(Limit: 1000) { PipelineIds = [seen.Id] });
        var none = await Store.ListBuildsAsync(new BuildQuery(Limit: 1000) { PipelineIds = [] });

        listed.Select(b => b.Id).ShouldContain(mine.Id);
        listed.Select(b => b.Id).ShouldNotContain(theirs.Id);
        none.ShouldBeEmpty();
    }
}
