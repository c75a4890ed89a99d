namespace Ferry.Server.Ui.Layout;

/// <summary>The UI's URLs, in one place, with every name escaped.</summary>
internal static class Links
{
    public static string Pipeline(string pipeline) => $"/pipelines/{E(pipeline)}";

    public static string Job(string pipeline, string job) => $"/pipelines/{E(pipeline)}/jobs/{E(job)}";

    public static string Resource(string pipeline, string resource) => $"/pipelines/{E(pipeline)}/resources/{E(resource)}";

    public static string Build(long id) => $"/builds/{id}";

    public static string Environments(string pipeline) => $"/pipelines/{E(pipeline)}/environments";

    public static string Variables(string pipeline, string environment) => $"/pipelines/{E(pipeline)}/environments/{E(environment)}/variables";

    private static string E(string name) => Uri.EscapeDataString(name);
}
