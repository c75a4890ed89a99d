namespace Ferry.Core.Resolving;

/// <summary>The version chosen for one input.</summary>
/// <param name="VersionId">The chosen version.</param>
/// <param name="ResourceId">The resource it is a version of.</param>
/// <param name="FirstOccurrence">True when no earlier build of the job used this version for this input.</param>
/// <param name="PassedBuildIds">The upstream builds that vouched for it; record them as build pipes into the new build.</param>
public sealed record ResolvedInput(long VersionId, int ResourceId, bool FirstOccurrence, IReadOnlyList<long> PassedBuildIds);

/// <summary>Why a passed constraint blocks an input (for <c>ferry explain</c>).</summary>
/// <param name="Job">The passed job that blocks, or null when the group as a whole cannot agree.</param>
/// <param name="Reason">A sentence a person can act on.</param>
public sealed record InputBlocker(string? Job, string Reason);

/// <summary>The result of resolving a job's inputs.</summary>
public sealed class Resolution
{
    internal Resolution(
        IReadOnlyDictionary<string, ResolvedInput> values,
        IReadOnlyDictionary<string, string> errors,
        IReadOnlyDictionary<string, IReadOnlyList<InputBlocker>> blockers,
        bool hasNext,
        bool triggersBuild)
    {
        Values = values;
        Errors = errors;
        Blockers = blockers;
        HasNext = hasNext;
        TriggersBuild = triggersBuild;
    }

    /// <summary>True when every input got a version.</summary>
    public bool Ok => Errors.Count == 0;

    /// <summary>Inputs that got a version (also when others failed: independent groups resolve independently).</summary>
    public IReadOnlyDictionary<string, ResolvedInput> Values { get; }

    /// <summary>Inputs that did not, with the error text of DESIGN.md.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; }

    /// <summary>For failed inputs with passed constraints: which passed job blocks them and why.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<InputBlocker>> Blockers { get; }

    /// <summary>An <c>every</c> input has more versions waiting after this one: schedule again at once.</summary>
    public bool HasNext { get; }

    /// <summary>Ok, and some <c>trigger: true</c> input got a version it never had in an earlier build of the job.</summary>
    public bool TriggersBuild { get; }
}
