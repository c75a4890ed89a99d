namespace Ferry.Cli.Tests.Verbs;

/// <summary>
/// <c>ferry login</c> and <c>logout</c> as a user's shell runs them: no FERRY_TOKEN, no --url on later verbs, the
/// target saved in a file of the test's own.
/// </summary>
[Collection(CliServerCollection.Name)]
public sealed class LoginTests(CliServer server) : IDisposable
{
    private readonly string _targets = Path.Combine(Path.GetTempPath(), "ferry-login-" + Guid.NewGuid().ToString("N")[..12], "ferry", "targets.json");

    private Task<CliResult> RunAsync(params string[] args) => Cli.WithTargetsAsync(_targets, () => Cli.RunAsync(args));

    [Fact]
    public async Task Login_SavesTheTokenForThatUrl_0600_AndLaterVerbsUseIt()
    {
        var tokenFile = Path.Combine(server.DataDirectory, "admin-token");

        var login = await RunAsync("login", "--url", server.Url, "--token-file", tokenFile);
        var me = await RunAsync("whoami");

        login.Exit.ShouldBe(0, login.Err);
        login.Out.ShouldBe($"logged in to {server.Url} as admin (owner); the token is saved in {_targets}" + Environment.NewLine);
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(_targets).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.GetUnixFileMode(Path.GetDirectoryName(_targets)!).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        me.Exit.ShouldBe(0, me.Err);
        me.Out.ShouldBe("admin (owner)" + Environment.NewLine);
    }

    [Fact]
    public async Task Login_ReadsTheTokenFromStandardInput_AndSendsItToNoOtherUrl()
    {
        await server.Store.UpsertUserAsync("cli-stdin", owner: false, ["main"]);
        var token = (await server.Store.CreateApiTokenAsync("cli-stdin")).Token;

        var login = await Cli.WithTargetsAsync(_targets, () => Cli.RunAsync(["login", "--url", server.Url], token + "\n"));
        var elsewhere = await RunAsync("whoami", "--url", server.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal));

        login.Exit.ShouldBe(0, login.Err);
        login.Out.ShouldStartWith($"logged in to {server.Url} as cli-stdin (member in main)");
        elsewhere.Exit.ShouldBe(1, "the saved token belongs to the URL it was saved for");
        elsewhere.Err.ShouldStartWith("ferry whoami: this server needs a signed-in user");
    }

    [Fact]
    public async Task Login_Exits1AndSavesNothing_WhenTheServerDoesNotKnowTheToken()
    {
        var login = await RunAsync("login", "--url", server.Url, "--token", "ferry_made-up");
        var none = await RunAsync("login", "--url", server.Url);

        login.Exit.ShouldBe(1);
        login.Err.ShouldStartWith("ferry login: the Authorization header's bearer token is not a known API token");
        File.Exists(_targets).ShouldBeFalse();
        none.Exit.ShouldBe(2);
        none.Err.ShouldBe("ferry login: no token given: --token-file FILE, --token TOKEN, or the token on standard input" + Environment.NewLine);
    }

    [Fact]
    public async Task Logout_ForgetsTheToken_SoTheServerAsksToSignInAgain()
    {
        (await RunAsync("login", "--url", server.Url, "--token-file", Path.Combine(server.DataDirectory, "admin-token"))).Exit.ShouldBe(0);

        var logout = await RunAsync("logout");
        var after = await RunAsync("pipelines", "--url", server.Url);
        var again = await RunAsync("logout", "--url", server.Url);

        logout.Exit.ShouldBe(0, logout.Err);
        logout.Out.ShouldBe($"forgot the token for {server.Url}" + Environment.NewLine);
        after.Exit.ShouldBe(1);
        again.Exit.ShouldBe(1);
        File.ReadAllText(_targets).ShouldNotContain("ferry_");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(_targets)!)!, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was saved.
        }
    }
}
