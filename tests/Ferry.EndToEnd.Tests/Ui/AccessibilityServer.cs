using Ferry.Core.Promotion;
using Ferry.EndToEnd.Tests.Harness;
using Ferry.Engine.Promoting;
using Ferry.Storage;
using Ferry.Storage.Builds;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// A server with something on every page: a pipeline whose job built from a real git commit, release r1 in
/// development, staging empty (the keyboard test promotes into it), production waiting for an approval from ops,
/// a variable, and a second user.
/// </summary>
public sealed class AccessibilityServer : IAsyncLifetime
{
    public const string PipelineName = "shop";

    private const string PipelineYaml = """
        resources:
          - name: app
            type: git
            check_every: 1s
            source: { uri: ((repo)), branch: main }
        jobs:
          - name: unit
            plan:
              - get: app
                trigger: true
              - task: test
                config:
                  platform: linux
                  inputs: [{ name: app }]
                  run: { path: sh, args: [-c, "cat app/NOTES.md; echo 'a line long enough to wrap on a phone: 0123456789012345678901234567890123456789012345678901234567890123456789'"] }
        environments:
          - name: development
            release: [app]
            from: [unit]
            promote: auto
            variables: { API_URL: https://dev.example }
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE"] } }
          - name: staging
            from: [development]
            promote: manual
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE"] } }
          - name: production
            from: [development]
            promote: manual
            approval: { required: 1, from: [ops] }
            deploy:
              - task: deploy
                config: { platform: linux, run: { path: sh, args: [-c, "echo deploying $FERRY_RELEASE"] } }
        """;

    private InProcessFerry _ferry = null!;
    private GitRepository _repo = null!;

    public string Url => _ferry.Url;

    public string AdminToken => _ferry.AdminToken;

    /// <summary>The id of unit's first build (it has a log).</summary>
    public long BuildId { get; private set; }

    private IStore Store => _ferry.Service<IStore>();

    private Promotions Promotions => _ferry.Service<Promotions>();

    public async Task InitializeAsync()
    {
        _repo = await GitRepository.CreateAsync();
        await _repo.CommitAsync("NOTES.md", "the first release\n", "a first change");
        _ferry = await InProcessFerry.StartAsync("a11y");
        var file = Path.Combine(_ferry.DataDirectory, "shop.yml");
        await File.WriteAllTextAsync(file, PipelineYaml);
        var set = await Shell.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "ferry.dll"), "set-pipeline", "-p", PipelineName, "-c", file,
            "-v", $"repo={_repo.Uri}", "--yes"], environment: new Dictionary<string, string>
        {
            ["FERRY_URL"] = Url,
            ["FERRY_TOKEN"] = AdminToken,
            ["XDG_CONFIG_HOME"] = Path.Combine(_ferry.DataDirectory, "cli-config"),
        });
        set.ExitCode.ShouldBe(0, set.ToString());
        await Store.UpsertUserAsync("olga", owner: false, ["ops"]);

        // The commit passes unit and development takes r1 by itself; then production is asked for it.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while ((await Promotions.GetEnvironmentAsync(PipelineName, "development", CancellationToken.None)).Current?.Name != "r1")
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("development never got r1");
            await Task.Delay(300);
        }
        var admin = new Actor("admin", new HashSet<string>(), IsOwner: true, Operates: true);
        var asked = await Promotions.PromoteAsync(PipelineName, "production", "r1", admin, CancellationToken.None);
        asked.Status.ShouldBe("awaiting_approval");
        await Promotions.SetVariableAsync(PipelineName, "development", "API_TOKEN", "s3cret", secret: true, admin, CancellationToken.None);
        var pipeline = await Store.GetPipelineAsync(PipelineName);
        BuildId = (await Store.ListBuildsAsync(new BuildQuery(pipeline!.Id))).Last(b => b.JobName == "unit").Id;
    }

    public async Task DisposeAsync()
    {
        await _ferry.DisposeAsync();
        await _repo.DisposeAsync();
    }
}
