using Ferry.Core.Pipelines;
using Ferry.Engine.Resources;

namespace Ferry.Engine.Pipelines;

internal static class ResourceTypeDeclarations
{
    /// <summary>A pipeline's <c>resource_types</c> in the form the registry resolves.</summary>
    public static IReadOnlyList<ResourceTypeDeclaration> Of(PipelineConfig? config) =>
        config?.ResourceTypes.Select(t => new ResourceTypeDeclaration(t.Name, t.Type, t.Source, t.Defaults) { Privileged = t.Privileged, CheckEvery = t.CheckEvery }).ToList() ?? [];
}
