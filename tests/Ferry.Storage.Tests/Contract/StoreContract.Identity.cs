namespace Ferry.Storage.Tests.Contract;

public abstract partial class StoreContract<TTarget>
{
    [StoreFact]
    public async Task UpsertUser_ReplacesTeams_AndGivesActor()
    {
        var name = UniqueName("u");
        await Store.UpsertUserAsync(name, owner: false, ["ops", "dev", "ops"]);
        var user = await Store.UpsertUserAsync(name, owner: true, ["ops"]);

        user.Teams.ShouldBe(["ops"]);
        user.Owner.ShouldBeTrue();
        (await Store.GetUserAsync(name))!.ToActor().Teams.ShouldBe(["ops"]);
        (await Store.GetUserAsync(UniqueName("missing"))).ShouldBeNull();
        (await Store.ListUsersAsync()).ShouldContain(u => u.Name == name);
    }

    [StoreFact]
    public async Task ApiToken_AuthenticatesItsUser_UntilRevoked()
    {
        var name = UniqueName("u");
        await Store.UpsertUserAsync(name, owner: false, ["ops"]);

        var token = await Store.CreateApiTokenAsync(name, "laptop");

        token.Token.ShouldStartWith("ferry_");
        (await Store.AuthenticateTokenAsync(token.Token))!.Name.ShouldBe(name);
        (await Store.AuthenticateTokenAsync(token.Token + "x")).ShouldBeNull();
        (await Store.AuthenticateTokenAsync("")).ShouldBeNull();
        (await Store.RevokeApiTokenAsync(token.Id)).ShouldBeTrue();
        (await Store.AuthenticateTokenAsync(token.Token)).ShouldBeNull();
        (await Should.ThrowAsync<StoreException>(() => Store.CreateApiTokenAsync(UniqueName("nobody")))).Message.ShouldContain("no user");
    }
}
