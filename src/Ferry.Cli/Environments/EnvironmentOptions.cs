using System.CommandLine;
using Ferry.Cli.Client;

namespace Ferry.Cli.Environments;

/// <summary>The <c>-e</c> option and the API paths under a pipeline that the promotion verbs share.</summary>
internal static class EnvironmentOptions
{
    public static Option<string> Environment(bool required = true) =>
        new("--environment", "-e") { Description = "The environment", Required = required };

    public static Option<int> Limit(int defaultValue) =>
        new("--limit", "-n") { Description = $"How many, newest first (default {defaultValue})", DefaultValueFactory = _ => defaultValue };

    /// <summary><c>api/v1/pipelines/P/environments/E/…</c> with the names escaped.</summary>
    public static string EnvironmentPath(string pipeline, string environment, string? rest = null) =>
        Names.Path("pipelines", pipeline, "environments", environment) + (rest is null ? "" : "/" + rest);

    public static string PipelinePath(string pipeline, string rest) => Names.Path("pipelines", pipeline) + "/" + rest;

    public static int CheckLimit(int limit) =>
        limit is >= 1 and <= 1000 ? limit : throw new UsageException($"--limit must be between 1 and 1000, not {limit}");
}
