using Ferry.EndToEnd.Tests.Harness;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>A browser test that runs axe-core: skipped, with the reason, when it is missing outside CI; on CI it fails.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class AxeFactAttribute : FactAttribute
{
    public AxeFactAttribute()
    {
        if (Axe.SkipReason is { } reason)
            Skip = reason;
    }
}
