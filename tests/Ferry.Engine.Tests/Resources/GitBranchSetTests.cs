using System.Text.Json;
using System.Text.Json.Nodes;
using Ferry.Engine.Resources.Git;

namespace Ferry.Engine.Tests.Resources;

public sealed class GitBranchSetTests : IDisposable
{
    private readonly GitRemote _remote = new();
    private readonly GitResourceType _git = new(new Ferry.Engine.Processes.ProcessRunner());

    public void Dispose() => _remote.Dispose();

    [Fact]
    public async Task CheckAsync_TracksBranchesAppearingMovingAndDisappearing_WhenBranchesGlobGiven()
    {
        _remote.Commit("a.txt", "main", "main");
        var one = _remote.Commit("a.txt", "pr1", "pr one", branch: "pr/1");
        var call = _remote.Call();
        var source = _remote.Source(""", "branches": "pr/*" """);

        var initial = (await _git.CheckAsync(call, source, null, CancellationToken.None)).Single();
        var unchanged = await _git.CheckAsync(call, source, initial, CancellationToken.None);
        var two = _remote.Commit("a.txt", "pr2", "pr two", branch: "pr/2");
        var oneMoved = _remote.Commit("a.txt", "pr1b", "pr one again", branch: "pr/1");
        var grown = await _git.CheckAsync(call, source, initial, CancellationToken.None);
        _remote.Run(_remote.Work, "push", "-q", "origin", "--delete", "pr/1");
        var shrunk = await _git.CheckAsync(call, source, grown[^1], CancellationToken.None);

        initial.Version.ShouldBe(new Dictionary<string, string> { ["branches"] = "pr/1", ["ref:pr/1"] = one });
        unchanged.ShouldBe([initial]);
        grown.Count.ShouldBe(2);
        GitBranchSet.Heads(grown[1]).ShouldBe(new Dictionary<string, string> { ["pr/1"] = oneMoved, ["pr/2"] = two });
        var changes = GitBranchSet.Diff(initial, grown[1]);
        changes.Appeared.ShouldBe(["pr/2"]);
        changes.Disappeared.ShouldBeEmpty();
        changes.Moved.ShouldBe(["pr/1"]);
        GitBranchSet.Heads(shrunk[^1]).Keys.ShouldBe(["pr/2"]);
        var gone = GitBranchSet.Diff(grown[1], shrunk[^1]);
        gone.Disappeared.ShouldBe(["pr/1"]);
        gone.Appeared.ShouldBeEmpty();
    }

    [Fact]
    public async Task CheckAsync_ReturnsEmptySet_WhenNoBranchMatches()
    {
        _remote.Commit("a.txt", "main", "main");

        var version = (await _git.CheckAsync(_remote.Call(), _remote.Source(""", "branches": "pr/*" """), null, CancellationToken.None)).Single();

        version.Version.ShouldBe(new Dictionary<string, string> { ["branches"] = "" });
        GitBranchSet.Heads(version).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetAsync_ChecksOutOneBranchHead_WhenBranchParamGiven()
    {
        _remote.Commit("a.txt", "main", "main");
        var head = _remote.Commit("a.txt", "pr7", "pr seven", branch: "pr/7");
        var call = _remote.Call();
        var source = _remote.Source(""", "branches": "pr/*" """);
        var version = (await _git.CheckAsync(call, source, null, CancellationToken.None)).Single();
        var listing = Directory.CreateDirectory(Path.Combine(_remote.Root, "listing")).FullName;
        var checkout = Directory.CreateDirectory(Path.Combine(_remote.Root, "checkout")).FullName;

        await _git.GetAsync(call, source, version, [], listing, CancellationToken.None);
        await _git.GetAsync(call, source, version, JsonNode.Parse("""{"branch": "pr/7"}""")!.AsObject(), checkout, CancellationToken.None);

        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(listing, "branches.json")))
            .ShouldBe(new Dictionary<string, string> { ["pr/7"] = head });
        File.ReadAllText(Path.Combine(checkout, "a.txt")).ShouldBe("pr7");
        _remote.Run(checkout, "rev-parse", "--abbrev-ref", "HEAD").Trim().ShouldBe("pr/7");
    }

    [Fact]
    public async Task CheckAsync_ThrowsConfigError_WhenBranchAndBranchesGiven()
    {
        var error = await Should.ThrowAsync<Ferry.Engine.Resources.ResourceConfigException>(() =>
            _git.CheckAsync(_remote.Call(), _remote.Source(""", "branch": "main", "branches": "pr/*" """), null, CancellationToken.None));

        error.Message.ShouldStartWith("source.branches:");
    }
}
