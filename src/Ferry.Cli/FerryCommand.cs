using System.CommandLine;

namespace Ferry.Cli;

/// <summary>The root of the <c>ferry</c> executable: one verb per concept, each in its own folder.</summary>
internal static class FerryCommand
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Ferry: continuous delivery from development through staging to production.");
        foreach (var verb in Verbs())
        {
            root.Subcommands.Add(verb);
        }
        return root;
    }

    // Each concept adds its verbs here; keep one line per verb factory.
    private static IEnumerable<Command> Verbs()
    {
        yield return Debug.DebugCommand.Create();
        yield return Validate.ValidateCommand.Create();
        yield return Server.ServerCommand.Create();
        yield return Workers.WorkerCommand.Create();
        yield return Nodes.NodeVerbs.List();
        yield return Nodes.NodeVerbs.Workers();
        yield return Nodes.KeysCommand.Create();
        yield return Pipelines.SetPipelineCommand.Create();
        yield return Pipelines.PipelineVerbs.Get();
        yield return Pipelines.PipelineVerbs.List();
        yield return Pipelines.PipelineVerbs.Pause();
        yield return Pipelines.PipelineVerbs.Unpause();
        yield return Pipelines.PipelineVerbs.Destroy();
        yield return Jobs.JobVerbs.List();
        yield return Jobs.JobVerbs.Trigger();
        yield return Explain.ExplainCommand.Create();
        yield return Builds.BuildVerbs.List();
        yield return Builds.BuildVerbs.Watch();
        yield return Builds.BuildVerbs.Abort();
        yield return Resources.ResourceVerbs.List();
        yield return Resources.ResourceVerbs.Check();
        yield return Resources.VersionVerbs.List();
        yield return Resources.ResourceVerbs.Pin();
        yield return Resources.ResourceVerbs.Unpin();
        yield return Resources.VersionVerbs.Enable();
        yield return Resources.VersionVerbs.Disable();
        yield return Environments.EnvironmentVerbs.List();
        yield return Environments.EnvironmentVerbs.Releases();
        yield return Environments.EnvironmentVerbs.ReleaseDisabled(disabled: true);
        yield return Environments.EnvironmentVerbs.ReleaseDisabled(disabled: false);
        yield return Environments.PromotionVerbs.Promote();
        yield return Environments.PushVerb.Create();
        yield return Environments.PromotionVerbs.Approve();
        yield return Environments.PromotionVerbs.Reject();
        yield return Environments.PromotionVerbs.Rollback();
        yield return Environments.SnapshotVerbs.List();
        yield return Environments.EnvironmentVerbs.Hold();
        yield return Environments.PromotionVerbs.List();
        yield return Environments.PromotionVerbs.Audit();
        yield return Environments.VariableVerbs.List();
        yield return Environments.VariableVerbs.Set();
        yield return Environments.VariableVerbs.Unset();
        yield return Environments.StageCommand.Create();
        yield return Users.LoginCommand.Login();
        yield return Users.LoginCommand.Logout();
        yield return Users.UserCommand.Create();
        yield return Users.UserVerbs.List();
        yield return Users.UserVerbs.WhoAmI();
        yield return Users.UserVerbs.Token();
    }

    /// <param name="input">Where verbs that ask read answers (standard input when null).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, TextReader? input = null)
    {
        if (input is not null)
        {
            Client.CliInput.Current = input;
        }
        // `ferry`, `ferry help` and `ferry help VERB…` print the usage, as `--help` does.
        if (args is [] or ["help", ..])
        {
            args = [.. args.Skip(1), "--help"];
        }
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync($"ferry: {problem.Message}");
            }
            await error.WriteLineAsync("Run 'ferry --help' for usage.");
            return ExitCodes.Usage;
        }
        // No termination timeout: `ferry server` stops gracefully through the host's own SIGTERM/Ctrl-C handling,
        // which a 2 s cut-off would interrupt; client verbs simply end.
        var config = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await parsed.InvokeAsync(config);
    }
}
