using Ferry.EndToEnd.Tests.Harness;
using Ferry.Tests.LocalServers;

namespace Ferry.EndToEnd.Tests.Ui;

/// <summary>
/// A browser test that runs axe-core (and, with <see cref="NodeRed"/>, Node-RED): skipped, with the reason, when one is
/// missing outside CI; on CI it fails.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class AxeFactAttribute : FactAttribute
{
    public AxeFactAttribute()
    {
        if (Axe.SkipReason is { } reason)
            Skip = reason;
    }

    public bool NodeRed
    {
        get;
        init
        {
            field = value;
            if (value && Skip is null && NodeRedInstance.SkipReason is { } reason)
                Skip = reason;
        }
    }
}
