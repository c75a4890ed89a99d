using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.ReleaseTrain;

/// <summary>One real `ferry server` for the release-train tests, with alice and bob in the ops team (production's approvers).</summary>
public sealed class ReleaseTrainServer : IAsyncLifetime
{
    internal FerryServer Server { get; private set; } = null!;

    internal FerryApi Api { get; private set; } = null!;

    internal string AliceToken { get; private set; } = "";

    internal string BobToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await FerryServer.StartAsync();
        Api = new FerryApi(Server.Url);
        AliceToken = await AddUserAsync("alice", "ops");
        BobToken = await AddUserAsync("bob", "ops");
    }

    /// <summary><c>ferry user add NAME --team TEAM</c> on the server's data: prints the user's new API token.</summary>
    private async Task<string> AddUserAsync(string name, string team)
    {
        var added = await Server.CliAsync("user", "add", name, "--team", team, "--data", Server.DataDirectory);
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
