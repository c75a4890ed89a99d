namespace Ferry.Tests.Containers;

/// <summary>A test that needs containers: skipped, with the reason, when the tools are missing outside CI; on CI it fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ContainerFactAttribute : FactAttribute
{
    public ContainerFactAttribute()
    {
        if (ContainerTools.SkipReason is { } reason)
            Skip = reason;
    }
}
