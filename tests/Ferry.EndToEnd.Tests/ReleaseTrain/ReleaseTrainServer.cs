using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.ReleaseTrain;

/// <summary>
/// One real `ferry server` for the release-train tests, with alice and bob members of main (they promote and set
/// variables) and in the ops team (production's approvers), as the example's README makes them.
/// </summary>
public sealed class ReleaseTrainServer : IAsyncLifetime
{
    internal FerryServer Server { get; private set; } = null!;

    internal FerryApi Api { get; private set; } = null!;

    internal string AliceToken { get; private set; } = "";

    internal string BobToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await FerryServer.StartAsync();
        Api = Server.NewApi();
        AliceToken = await AddUserAsync("alice");
        BobToken = await AddUserAsync("bob");
    }

    /// <summary><c>ferry user add NAME --team main:member --team ops</c> as admin: prints the user's new API token.</summary>
    private async Task<string> AddUserAsync(string name)
    {
        var added = await Server.CliAsync("user", "add", name, "--team", "main:member", "--team", "ops");
        added.ExitCode.ShouldBe(0, added.ToString());
        var token = added.Output.Split([' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        token.ShouldNotBeNullOrWhiteSpace(added.ToString());
        return token;
    }

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync();
    }
}
