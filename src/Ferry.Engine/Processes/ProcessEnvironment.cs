namespace Ferry.Engine.Processes;

/// <summary>The few variables of the server's environment a tool it runs needs; never the whole (it holds <c>FERRY_DB</c>, tokens …).</summary>
public static class ProcessEnvironment
{
    private static readonly string[] Basics = ["PATH", "HOME", "LANG", "TMPDIR", "USER"];

    /// <summary>PATH, HOME, LANG, TMPDIR and USER as the server has them (PATH and TMPDIR always set), plus <paramref name="names"/>.</summary>
    public static Dictionary<string, string> Inherited(params IEnumerable<string> names)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Basics.Concat(names))
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
                environment[name] = value;
        }
        environment.TryAdd("PATH", "/usr/local/bin:/usr/bin:/bin");
        // Concourse's own scripts (git-resource among them) write their scratch files under $TMPDIR.
        environment.TryAdd("TMPDIR", Path.GetTempPath());
        return environment;
    }
}
