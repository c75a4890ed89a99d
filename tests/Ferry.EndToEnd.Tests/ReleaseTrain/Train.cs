using System.Net;
using System.Text.Json.Nodes;
using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.ReleaseTrain;

/// <summary>
/// One release train on the shared server: the example app in its own git repository, examples/release-train's
/// pipeline set under its own name, and its own deploy folder, so tests on the same server never see each other.
/// </summary>
internal sealed class Train : IAsyncDisposable
{
    /// <summary>An API answer: its status and JSON body (a view, or an RFC 9457 problem).</summary>
    public sealed record Answer(HttpStatusCode Status, JsonNode? Body, string Text)
    {
        public override string ToString() => $"{(int)Status} {Text}";
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly ReleaseTrainServer _fixture;

    public string Pipeline { get; }

    public GitRepository Repo { get; }

    public string DeployRoot { get; }

    private Train(ReleaseTrainServer fixture, string pipeline, GitRepository repo, string deployRoot)
    {
        _fixture = fixture;
        Pipeline = pipeline;
        Repo = repo;
        DeployRoot = deployRoot;
    }

    /// <summary>Seeds a repository with the app (its first commit becomes r1), sets the pipeline and checks at once.</summary>
    public static async Task<Train> StartAsync(ReleaseTrainServer fixture, string pipeline)
    {
        var repo = await GitRepository.CreateAsync(ReleaseTrainExample.App);
        var train = new Train(fixture, pipeline, repo, Directory.CreateTempSubdirectory("ferry-train-deploys-").FullName);
        var set = await fixture.Server.CliAsync("set-pipeline", "-p", pipeline, "-c", ReleaseTrainExample.PipelineFile,
            "-v", $"repo={repo.Uri}", "-v", $"deploy_root={train.DeployRoot}", "--yes");
        set.ExitCode.ShouldBe(0, set.ToString());
        await train.CheckAsync();
        return train;
    }

    /// <summary>Checks the app at once (through the API: a CLI process per commit would slow every test down).</summary>
    public async Task CheckAsync(string resource = "app")
    {
        var check = await SendAsync(HttpMethod.Post, $"resources/{resource}/check", new { });
        check.Status.ShouldBeOneOf([HttpStatusCode.OK, HttpStatusCode.Accepted, HttpStatusCode.Created, HttpStatusCode.NoContent], check.ToString());
    }

    /// <summary>Commits (the app's files as the working clone has them, plus this change) and checks at once.</summary>
    public async Task<string> CommitAsync(string path, string content, string message)
    {
        var commit = await Repo.CommitAsync(path, content, message);
        await CheckAsync();
        return commit;
    }

    /// <summary>The names of the pipeline's environments now (per-pull-request ones come and go).</summary>
    public async Task<List<string>> EnvironmentNamesAsync() =>
        [.. (await _fixture.Api.GetAsync($"pipelines/{Pipeline}/environments")).AsArray().Select(e => (string)e!["name"]!)];

    public Task<JsonNode> EnvironmentAsync(string environment) =>
        _fixture.Api.GetAsync($"pipelines/{Pipeline}/environments/{environment}");

    public async Task<JsonNode> ReleaseAsync(string release) =>
        await _fixture.Api.GetAsync($"pipelines/{Pipeline}/releases/{release}");

    public async Task<JsonArray> AuditAsync() => (await _fixture.Api.GetAsync($"pipelines/{Pipeline}/audit")).AsArray();

    /// <summary>A request to the pipeline's API (<paramref name="path"/> under it) as the token's user: admin when null, no one for <see cref="FerryApi.NoToken"/>.</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string path, object? body = null, string? token = null)
    {
        using var response = await _fixture.Api.SendAsync(method, $"pipelines/{Pipeline}/{path}", body, token);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), text);
    }

    /// <summary>Waits until the environment's release <paramref name="release"/> is current and its newest promotion succeeded.</summary>
    public Task<JsonNode> VerifiedAsync(string environment, string release) =>
        WaitAsync(environment, e => Current(e) == release && Status(e) == "succeeded", $"{release} verified in {environment}");

    /// <summary>Waits until <paramref name="condition"/> holds for the environment's view; returns that view.</summary>
    public async Task<JsonNode> WaitAsync(string environment, Func<JsonNode, bool> condition, string what)
    {
        JsonNode? seen = null;
        try
        {
            await FerryApi.EventuallyAsync(async () =>
            {
                // A per-pull-request environment is not there (404) until its branch has been seen.
                var answer = await SendAsync(HttpMethod.Get, $"environments/{environment}");
                seen = answer.Status == HttpStatusCode.OK ? answer.Body : null;
                return seen is not null && condition(seen);
            }, $"{Pipeline}: {what}", _fixture.Server, Patience);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{environment} last seen as {seen?.ToJsonString()}\n{e.Message}", e);
        }
        return seen!;
    }

    public static string? Current(JsonNode environment) => (string?)environment["current"]?["name"];

    public static string? Status(JsonNode environment) => (string?)environment["status"];

    /// <summary>The release the environment's deploy folder runs (its <c>current</c> link), as ci/deploy.sh flips it.</summary>
    public string? Deployed(string environment) =>
        new FileInfo(Path.Combine(DeployRoot, environment, "current")).LinkTarget;

    public string DeployedConfig(string environment) =>
        File.ReadAllText(Path.Combine(DeployRoot, environment, "current", "config.env"));

    public async ValueTask DisposeAsync()
    {
        await Repo.DisposeAsync();
        try
        {
            Directory.Delete(DeployRoot, recursive: true);
        }
        catch (IOException)
        {
            // a verify task's process may still be letting go of a file; the temp folder is cleaned by the OS later
        }
    }
}
