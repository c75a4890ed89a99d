using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.ReleaseTrain;

/// <summary>
/// The release train's app runs its own tests as the pipeline's tasks do (real python3 and sh processes), so the
/// example stays honest: unit and integration pass from the source, the deploy script lays out a release that smoke
/// and acceptance pass against, and the README's breaking change fails staging's smoke test but not development's.
/// </summary>
public sealed class ReleaseTrainAppTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ferry-train-app-").FullName;

    [Theory]
    [InlineData("unit")]
    [InlineData("integration")]
    public async Task Tests_Pass_WhenRunFromTheAppsSource(string suite)
    {
        ReleaseTrainExample.CopyAppInto(_work);

        var result = await ReleaseTrainExample.RunTaskAsync(_work, new Dictionary<string, string>(), "python3", $"app/tests/{suite}.py");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Error.ShouldContain("OK");
    }

    [Fact]
    public async Task Deploy_LaysOutTheReleaseAndFlipsCurrent_AndSmokeAndAcceptancePassAgainstIt()
    {
        ReleaseTrainExample.CopyAppInto(_work);
        var root = Path.Combine(_work, "deploys");
        var staging = Environment("staging", "r1", ReleaseTrainExample.Variable("staging", "GREETING"), root);

        (await DeployAsync(staging)).ExitCode.ShouldBe(0);
        File.ReadAllText(Path.Combine(root, "staging", "current", "config.env")).ShouldContain("GREETING=Grüß Gott\n");
        foreach (var suite in new[] { "smoke", "acceptance" })
        {
            var result = await ReleaseTrainExample.RunTaskAsync(_work, staging, "python3", $"app/tests/{suite}.py");
            result.ExitCode.ShouldBe(0, $"{suite}: {result}");
        }

        var next = Environment("staging", "r2", "Servus", root);
        (await DeployAsync(next)).ExitCode.ShouldBe(0);
        new FileInfo(Path.Combine(root, "staging", "current")).LinkTarget.ShouldBe("releases/r2");
        Directory.Exists(Path.Combine(root, "staging", "releases", "r1")).ShouldBeTrue("older releases stay for a rollback");
        (await ReleaseTrainExample.RunTaskAsync(_work, next, "python3", "app/tests/smoke.py")).ExitCode.ShouldBe(0);
        var stale = await ReleaseTrainExample.RunTaskAsync(_work, staging, "python3", "app/tests/smoke.py");
        stale.ExitCode.ShouldNotBe(0, "smoke must notice that current is not the release being promoted");
    }

    [Fact]
    public async Task Deploy_FailsNamingTheVariable_WhenGreetingIsEmpty()
    {
        ReleaseTrainExample.CopyAppInto(_work);
        var production = Environment("production", "r1", "", Path.Combine(_work, "deploys"));

        var result = await DeployAsync(production);

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("GREETING is not set");
    }

    [Fact]
    public async Task Smoke_FailsInStagingButPassesInDevelopment_WithTheReadmesBreakingChange()
    {
        var app = ReleaseTrainExample.CopyAppInto(_work);
        var greeter = Path.Combine(app, "greeter.py");
        File.WriteAllText(greeter, ReleaseTrainExample.Break(File.ReadAllText(greeter)));
        var root = Path.Combine(_work, "deploys");
        var development = Environment("development", "r2", ReleaseTrainExample.Variable("development", "GREETING"), root);
        var staging = Environment("staging", "r2", ReleaseTrainExample.Variable("staging", "GREETING"), root);

        (await DeployAsync(development)).ExitCode.ShouldBe(0);
        (await DeployAsync(staging)).ExitCode.ShouldBe(0);

        var inDevelopment = await ReleaseTrainExample.RunTaskAsync(_work, development, "python3", "app/tests/smoke.py");
        inDevelopment.ExitCode.ShouldBe(0, inDevelopment.ToString());
        (await ReleaseTrainExample.RunTaskAsync(_work, development, "python3", "app/tests/integration.py")).ExitCode.ShouldBe(0);
        var inStaging = await ReleaseTrainExample.RunTaskAsync(_work, staging, "python3", "app/tests/smoke.py");
        inStaging.ExitCode.ShouldNotBe(0, inStaging.ToString());
        inStaging.Error.ShouldContain("FAILED");
    }

    private Task<Shell.Result> DeployAsync(Dictionary<string, string> environment) =>
        ReleaseTrainExample.RunTaskAsync(_work, environment, "sh", "app/ci/deploy.sh");

    /// <summary>What Ferry gives a deploy or verify task: the environment's variables and FERRY_*.</summary>
    private static Dictionary<string, string> Environment(string environment, string release, string greeting, string root) => new()
    {
        ["DEPLOY_ROOT"] = root,
        ["GREETING"] = greeting,
        ["FERRY_PIPELINE"] = "release-train",
        ["FERRY_ENVIRONMENT"] = environment,
        ["FERRY_RELEASE"] = release,
    };

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
