using System.Net;
using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Webhooks;

/// <summary>A resource that is never polled is checked when its webhook is called with the right token.</summary>
public sealed class WebhookTests
{
    private const string Pipeline = """
        resources:
          - name: app
            type: git
            check_every: never
            webhook_token: s3cret
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
                  run: { path: cat, args: [app/NOTES.md] }
        """;

    [Fact]
    public async Task Webhook_StartsABuild_WithTheRightTokenOnly()
    {
        await using var repo = await GitRepository.CreateAsync();
        await using var server = await FerryServer.StartAsync();
        using var api = server.NewApi();
        var file = Path.Combine(server.DataDirectory, "hook.yml");
        await File.WriteAllTextAsync(file, Pipeline);
        (await server.CliAsync("set-pipeline", "-p", "hook", "-c", file, "-v", $"repo={repo.Uri}", "--yes")).ExitCode.ShouldBe(0);
        var commit = await repo.CommitAsync("NOTES.md", "hooked\n", "first");

        // As a code host calls it: no API token, only the resource's webhook_token.
        using var wrong = await api.SendAsync(HttpMethod.Post, "pipelines/hook/resources/app/check/webhook?webhook_token=nope", token: FerryApi.NoToken);
        wrong.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // Had it asked for a check, a checker pass that began after it would have run that check.
        await api.PassAfterNowAsync(server, "checker");
        var resource = await api.GetAsync("pipelines/hook/resources/app");
        (resource["lastCheckedAt"], resource["nextCheckAt"]).ShouldBe((null, null), "a webhook with a wrong token asks for no check: " + resource.ToJsonString());
        (await api.GetAsync("pipelines/hook/resources/app/versions"))["items"]!.AsArray().ShouldBeEmpty();
        (await api.BuildsAsync("hook", "unit")).ShouldBeEmpty("a webhook with a wrong token starts nothing");

        using var right = await api.SendAsync(HttpMethod.Post, "pipelines/hook/resources/app/check/webhook?webhook_token=s3cret", token: FerryApi.NoToken);
        right.IsSuccessStatusCode.ShouldBeTrue();
        (await api.FinishedBuildForAsync(server, "hook", "unit", "app", commit)).ShouldBe("succeeded");
    }
}
