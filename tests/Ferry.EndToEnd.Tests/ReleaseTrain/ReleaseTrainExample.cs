using Ferry.Core.Pipelines;
using Ferry.Core.Vars;
using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.ReleaseTrain;

/// <summary>Where examples/release-train lives, and its app's scripts run as the pipeline's tasks run them.</summary>
internal static class ReleaseTrainExample
{
    public static string Folder { get; } = Path.Combine(RepositoryRoot.Path, "examples", "release-train");

    public static string App { get; } = Path.Combine(Folder, "app");

    public static string PipelineFile { get; } = Path.Combine(Folder, "pipeline.yml");

    /// <summary>The pipeline as set in the walkthrough (repo and deploy_root given).</summary>
    public static PipelineConfig Load(string deployRoot = "/tmp/ferry-deploys")
    {
        var vars = new StaticVars().AddString("repo", "file:///tmp/app").AddString("deploy_root", deployRoot);
        var result = PipelineLoader.LoadFile(PipelineFile, new PipelineLoadOptions { Vars = vars, Strict = true });
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        return result.Pipeline!;
    }

    /// <summary>A plain value the pipeline file gives an environment's variable (e.g. staging's GREETING).</summary>
    public static string Variable(string environment, string name) =>
        Load().Environments.Single(e => e.Name == environment).Variables![name]!.GetValue<string>();

    /// <summary>Copies the app to <c>{directory}/app</c>, as Ferry gives a task the release's <c>app</c> artifact.</summary>
    public static string CopyAppInto(string directory)
    {
        var target = Path.Combine(directory, "app");
        foreach (var file in Directory.EnumerateFiles(App, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(App, file);
            if (relative.Split(Path.DirectorySeparatorChar).Contains("__pycache__"))
                continue;
            var copy = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        return target;
    }

    /// <summary>
    /// The README's breaking change: the response's Content-Length counts characters, not bytes. Nothing notices
    /// with an ASCII greeting (development); staging's "Grüß Gott" answers come back cut short.
    /// </summary>
    public static string Break(string greeter)
    {
        const string right = "str(len(body))", wrong = "str(len(text))";
        greeter.ShouldContain(right, customMessage: "greeter.py no longer has the line the README's breaking change edits");
        File.ReadAllText(Path.Combine(Folder, "README.md")).ShouldContain($"sed -i 's/{right}/{wrong}/'",
            customMessage: "the README's walkthrough breaks the app another way than the tests check");
        return greeter.Replace(right, wrong, StringComparison.Ordinal);
    }

    /// <summary>Runs a task's command from <paramref name="workDirectory"/> (the folder holding <c>app/</c>) with the given environment.</summary>
    public static Task<Shell.Result> RunTaskAsync(string workDirectory, IDictionary<string, string> environment, string path, params string[] args) =>
        Shell.RunAsync(path, args, workDirectory, environment, TimeSpan.FromSeconds(60));
}
