namespace Ferry.Engine.Running;

/// <summary>What a step runs within: its build, the artifacts and build-local vars visible where it stands.</summary>
internal sealed record StepContext(RunningBuild Build, ArtifactScope Artifacts, LocalVars Vars)
{
    /// <summary>A child scope: what steps register inside it stays inside it (an across iteration).</summary>
    public StepContext Nested(IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?> vars) =>
        this with { Artifacts = new ArtifactScope(Artifacts), Vars = new LocalVars(Vars, vars) };
}
