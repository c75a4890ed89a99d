using Ferry.Core.Pipelines;

namespace Ferry.Core.Promotion;

/// <summary>One way a new config weakens an environment's protection; <see cref="Field"/> is its config path.</summary>
public sealed record WeakenedProtection(string Environment, string Field, string What)
{
    public override string ToString() => $"environments.{Environment}.{Field}: {What}";
}

/// <summary>
/// What a new pipeline config takes away from its environments' protection: <c>protected</c> removed, an approval
/// removed or lowered, other approvers admitted or self-approval allowed, the environments a release must be verified
/// in widened (fewer of them, or any one instead of all), or a guarded environment removed. Only an owner may make such
/// a change; for anyone else it is refused with these fields.
/// </summary>
public static class ProtectionChanges
{
    public static IReadOnlyList<WeakenedProtection> Weakened(PipelineConfig? before, PipelineConfig after)
    {
        var weakened = new List<WeakenedProtection>();
        foreach (var old in before?.Environments ?? [])
        {
            var now = after.FindEnvironment(old.Name);
            if (now is null)
            {
                if (old.Protected || old.Approval is { Required: > 0 })
                {
                    weakened.Add(new(old.Name, "name", "the protected or approval-guarded environment is removed"));
                }
                continue;
            }
            if (old.Protected && !now.Protected)
            {
                weakened.Add(new(old.Name, "protected", "no longer protected"));
            }
            Approval(old, now, weakened);
            Upstream(before!, old, after, now, weakened);
        }
        return weakened;
    }

    private static void Approval(EnvironmentConfig old, EnvironmentConfig now, List<WeakenedProtection> weakened)
    {
        if (old.Approval is not { Required: > 0 } was)
        {
            return;
        }
        if (now.Approval is not { Required: > 0 } @is)
        {
            weakened.Add(new(old.Name, "approval", "the approval is removed"));
            return;
        }
        if (@is.Required < was.Required)
        {
            weakened.Add(new(old.Name, "approval.required", $"lowered from {was.Required} to {@is.Required}"));
        }
        var admitted = @is.From.Except(was.From, StringComparer.Ordinal).ToList();
        if (was.From.Count > 0 && @is.From.Count == 0)
        {
            weakened.Add(new(old.Name, "approval.from", $"anyone may approve, not only {string.Join(", ", was.From)}"));
        }
        else if (was.From.Count > 0 && admitted.Count > 0)
        {
            weakened.Add(new(old.Name, "approval.from", $"{string.Join(", ", admitted)} may now approve"));
        }
        if (!was.AllowSelf && @is.AllowSelf)
        {
            weakened.Add(new(old.Name, "approval.allow_self", "the requester may now approve their own promotion"));
        }
    }

    /// <summary>The environments (not jobs) a release must be verified in first.</summary>
    private static void Upstream(PipelineConfig before, EnvironmentConfig old, PipelineConfig after, EnvironmentConfig now, List<WeakenedProtection> weakened)
    {
        var was = old.From.Where(f => before.FindEnvironment(f) is not null).ToHashSet(StringComparer.Ordinal);
        var @is = now.From.Where(f => after.FindEnvironment(f) is not null).ToHashSet(StringComparer.Ordinal);
        if (was.Count == 0)
        {
            return;
        }
        var dropped = was.Except(@is).Order(StringComparer.Ordinal).ToList();
        var added = @is.Except(was).Order(StringComparer.Ordinal).ToList();
        var wasAll = old.FromPolicy == FromPolicy.All || was.Count == 1;
        var isAll = now.FromPolicy == FromPolicy.All || @is.Count <= 1;
        if (wasAll && dropped.Count > 0)
        {
            weakened.Add(new(old.Name, "from", $"releases no longer need to be verified in {string.Join(", ", dropped)}"));
        }
        else if (!wasAll && added.Count > 0)
        {
            weakened.Add(new(old.Name, "from", $"releases verified in {string.Join(", ", added)} are now taken too"));
        }
        if (wasAll && !isAll)
        {
            weakened.Add(new(old.Name, "from_policy", "one upstream environment is now enough, not all"));
        }
    }
}
