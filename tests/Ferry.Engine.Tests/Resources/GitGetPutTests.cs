using System.Text.Json.Nodes;
using Ferry.Core.Versions;
using Ferry.Engine.Resources;
using Ferry.Engine.Resources.Git;

namespace Ferry.Engine.Tests.Resources;

public sealed class GitGetPutTests : IDisposable
{
    private readonly GitRemote _remote = new();
    private readonly GitResourceType _git = new(new Ferry.Engine.Processes.ProcessRunner());

    public void Dispose() => _remote.Dispose();

    private static ResourceVersion Ref(string sha) => new(new Dictionary<string, string> { ["ref"] = sha });

    private string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(_remote.Root, "build", name)).FullName;

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Fact]
    public async Task GetAsync_ChecksOutTheVersionAsWorkingCopy_WhenNewerCommitsExist()
    {
        var first = _remote.Commit("app.txt", "v1", "first");
        _remote.Commit("app.txt", "v2", "second");
        var call = _remote.Call();
        await _git.CheckAsync(call, _remote.Source(), null, CancellationToken.None);
        var directory = NewDirectory("app");

        var version = await _git.GetAsync(call, _remote.Source(), Ref(first), [], directory, CancellationToken.None);

        File.ReadAllText(Path.Combine(directory, "app.txt")).ShouldBe("v1");
        File.ReadAllText(Path.Combine(directory, ".git", "ref")).ShouldBe(first + "\n");
        File.ReadAllText(Path.Combine(directory, ".git", "commit_message")).ShouldBe("first\n");
        _remote.Run(directory, "rev-parse", "HEAD").Trim().ShouldBe(first);
        _remote.Run(directory, "rev-parse", "--abbrev-ref", "HEAD").Trim().ShouldBe("main");
        _remote.Run(directory, "remote", "get-url", "origin").Trim().ShouldBe(_remote.Uri);
        _remote.Run(directory, "status", "--porcelain").ShouldBeEmpty();
        version.Version["ref"].ShouldBe(first);
        version.Metadata.ShouldContain(new MetadataField("message", "first"));
    }

    [Fact]
    public async Task GetAsync_FetchesOnlyDepthCommits_WhenDepthGiven()
    {
        _remote.Commit("a.txt", "1", "one");
        _remote.Commit("a.txt", "2", "two");
        var third = _remote.Commit("a.txt", "3", "three");
        var directory = NewDirectory("shallow");

        await _git.GetAsync(_remote.Call(), _remote.Source(), Ref(third), Json("""{"depth": 1}"""), directory, CancellationToken.None);

        _remote.Run(directory, "rev-list", "--count", "HEAD").Trim().ShouldBe("1");
        File.ReadAllText(Path.Combine(directory, "a.txt")).ShouldBe("3");
    }

    [Fact]
    public async Task GetAsync_ThrowsTerminal_WhenCommitDoesNotExist()
    {
        _remote.Commit("a.txt", "1", "one");

        var error = await Should.ThrowAsync<ResourceException>(() =>
            _git.GetAsync(_remote.Call(), _remote.Source(), Ref(new string('a', 40)), [], NewDirectory("x"), CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldContain("not in");
    }

    [Fact]
    public async Task PutAsync_PushesTheArtifactCommit_WhenFastForward()
    {
        var first = _remote.Commit("a.txt", "1", "one");
        var call = _remote.Call();
        var repo = NewDirectory("repo");
        await _git.GetAsync(call, _remote.Source(), Ref(first), [], repo, CancellationToken.None);
        File.WriteAllText(Path.Combine(repo, "a.txt"), "2");
        _remote.Run(repo, "commit", "-q", "-am", "from the build");
        var built = _remote.Run(repo, "rev-parse", "HEAD").Trim();

        var version = await _git.PutAsync(call, _remote.Source(), Json("""{"repository": "repo"}"""), Path.GetDirectoryName(repo)!, CancellationToken.None);

        version.Version["ref"].ShouldBe(built);
        _remote.Run(_remote.Bare, "rev-parse", "main").Trim().ShouldBe(built);
    }

    [Fact]
    public async Task PutAsync_RebasesOntoConcurrentCommit_WhenRebaseSet()
    {
        var first = _remote.Commit("a.txt", "1", "one");
        var call = _remote.Call();
        var repo = NewDirectory("repo");
        await _git.GetAsync(call, _remote.Source(), Ref(first), [], repo, CancellationToken.None);
        var concurrent = _remote.Commit("other.txt", "x", "someone else");
        File.WriteAllText(Path.Combine(repo, "a.txt"), "2");
        _remote.Run(repo, "commit", "-q", "-am", "from the build");
        var artifacts = Path.GetDirectoryName(repo)!;

        var rejected = await Should.ThrowAsync<ResourceException>(() => _git.PutAsync(call, _remote.Source(), Json("""{"repository": "repo"}"""), artifacts, CancellationToken.None));
        var version = await _git.PutAsync(call, _remote.Source(), Json("""{"repository": "repo", "rebase": true}"""), artifacts, CancellationToken.None);

        rejected.IsRetryable.ShouldBeFalse();
        rejected.Message.ShouldContain("params.rebase");
        _remote.Run(_remote.Bare, "rev-parse", "main").Trim().ShouldBe(version.Version["ref"]);
        _remote.Run(_remote.Bare, "rev-parse", "main~1").Trim().ShouldBe(concurrent);
        _remote.Run(_remote.Bare, "show", "main:a.txt").ShouldBe("2");
    }

    [Fact]
    public async Task PutAsync_ThrowsTerminal_WhenRebaseConflicts()
    {
        var first = _remote.Commit("a.txt", "1", "one");
        var call = _remote.Call();
        var repo = NewDirectory("repo");
        await _git.GetAsync(call, _remote.Source(), Ref(first), [], repo, CancellationToken.None);
        _remote.Commit("a.txt", "theirs", "conflicting");
        File.WriteAllText(Path.Combine(repo, "a.txt"), "ours");
        _remote.Run(repo, "commit", "-q", "-am", "from the build");

        var error = await Should.ThrowAsync<ResourceException>(() =>
            _git.PutAsync(call, _remote.Source(), Json("""{"repository": "repo", "rebase": true}"""), Path.GetDirectoryName(repo)!, CancellationToken.None));

        error.IsRetryable.ShouldBeFalse();
        error.Message.ShouldContain("rebasing onto main failed");
        _remote.Run(repo, "status", "--porcelain").ShouldBeEmpty();
    }

    [Fact]
    public async Task PutAsync_PushesTagFromFile_WhenTagGiven()
    {
        var first = _remote.Commit("a.txt", "1", "one");
        var call = _remote.Call();
        var repo = NewDirectory("repo");
        await _git.GetAsync(call, _remote.Source(), Ref(first), [], repo, CancellationToken.None);
        var artifacts = Path.GetDirectoryName(repo)!;
        Directory.CreateDirectory(Path.Combine(artifacts, "version"));
        File.WriteAllText(Path.Combine(artifacts, "version", "number"), "1.2.3\n");

        await _git.PutAsync(call, _remote.Source(), Json("""{"repository": "repo", "tag": "version/number", "tag_prefix": "v"}"""), artifacts, CancellationToken.None);

        _remote.Run(_remote.Bare, "rev-parse", "v1.2.3^{commit}").Trim().ShouldBe(first);
    }

    [Fact]
    public async Task PutAsync_ThrowsConfigError_WhenRepositoryIsNotAWorkingCopy()
    {
        var artifacts = NewDirectory("artifacts");
        Directory.CreateDirectory(Path.Combine(artifacts, "plain"));

        var error = await Should.ThrowAsync<ResourceConfigException>(() =>
            _git.PutAsync(_remote.Call(), _remote.Source(), Json("""{"repository": "plain"}"""), artifacts, CancellationToken.None));

        error.Message.ShouldStartWith("params.repository:");
    }
}
