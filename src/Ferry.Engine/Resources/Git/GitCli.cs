using Ferry.Engine.Processes;

namespace Ferry.Engine.Resources.Git;

internal sealed record GitResult(int ExitCode, string Stdout, string Stderr)
{
    public bool Ok => ExitCode == 0;
}

/// <summary>The git command line, with the remote's credentials and a predictable, non-interactive environment.</summary>
internal sealed class GitCli(GitAuth auth, string workRoot, TextWriter log, ProcessRunner processes)
{
    /// <summary>What git needs of the server's environment to reach a remote (proxies, an ssh agent); nothing else.</summary>
    private static readonly string[] Inherited = ["http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "SSH_AUTH_SOCK"];

    public async Task<GitResult> TryAsync(string? directory, IReadOnlyList<string> args, CancellationToken cancellation, string? stdin = null)
    {
        var env = ProcessEnvironment.Inherited(Inherited);
        foreach (var (name, value) in auth.Environment(workRoot))
            env[name] = value;
        env["GIT_TERMINAL_PROMPT"] = "0";
        env["LC_ALL"] = "C";
        var arguments = new List<string>(auth.ConfigArguments());
        if (directory is not null)
            arguments.AddRange(["-C", directory]);
        arguments.AddRange(args);
        var spec = new ProcessSpec("git", arguments, directory ?? workRoot, env) { Stdin = stdin };
        var result = await processes.CaptureAsync(spec, onStderrLine: null, int.MaxValue, cancellation);
        return new GitResult(result.ExitCode, result.Stdout, result.StderrTail);
    }

    /// <summary>Runs git and returns its stdout; a failure is retryable (a network or remote problem, as a rule).</summary>
    public async Task<string> RunAsync(string? directory, IReadOnlyList<string> args, CancellationToken cancellation, string? stdin = null)
    {
        var result = await TryAsync(directory, args, cancellation, stdin);
        if (!result.Ok)
            throw ResourceException.Retryable($"git {args[0]} failed (exit {result.ExitCode}): {result.Stderr.Trim()}");
        return result.Stdout;
    }

    public TextWriter Log => log;
}
