namespace Ferry.Core.Promotion;

public enum RefusalKind
{
    NotVerifiedUpstream,
    WouldSkipEnvironment,
    ReleaseDisabled,
    ProtectedWithoutRight,
    DuringHold,
    RequiredVariableEmpty,
    NotVerifiedForRollback,
    /// <summary>The release carries other resources (or another branch) than the environment takes.</summary>
    ReleaseDoesNotFit,
    /// <summary>A <c>for_each</c> declaration: releases go into its per-branch environments.</summary>
    ForEachDeclaration,
    /// <summary>No release fits the environment yet.</summary>
    NoRelease,
    /// <summary>A promotion into the environment is still open (automatic promotion waits), or this release's already is.</summary>
    PromotionOpen,
    /// <summary>Another promotion into the environment is deploying or verifying: one runs at a time.</summary>
    EnvironmentBusy,
    /// <summary>An approval or rejection the promotion does not take (not awaiting, self-approval, not an approver, a second yes).</summary>
    ApprovalRefused,
    /// <summary>The environment's instance was edited by hand since Ferry deployed there; a person may force over it.</summary>
    InstanceDrifted,
    /// <summary>The person lacks the right for this change (a protected environment's hold or variables): the API answers 403.</summary>
    NotAllowed,
}

/// <summary>
/// Why a release may not go into an environment, as a value: the CLI, API and UI show <see cref="Message"/> as is,
/// and decide on <see cref="Kind"/>. The sentences are fixed here so every surface says the same thing.
/// </summary>
public sealed record Refusal(RefusalKind Kind, string Environment, string Release, string Message)
{
    public static Refusal NotVerifiedUpstream(string environment, string release, IReadOnlyList<string> missing, bool any) =>
        new(RefusalKind.NotVerifiedUpstream, environment, release, any
            ? $"{release} cannot be promoted into {environment}: it is not verified in {Join(missing, "or")}."
            : $"{release} cannot be promoted into {environment}: it is not verified in {Join(missing)}.");

    public static Refusal WouldSkip(string environment, string release, IReadOnlyList<string> skipped, IReadOnlyList<string> verifiedIn) =>
        new(RefusalKind.WouldSkipEnvironment, environment, release,
            $"{release} cannot be promoted into {environment}: that would skip {Join(skipped)} ({release} is verified in {Join(verifiedIn)} only).");

    public static Refusal Disabled(string environment, string release) =>
        new(RefusalKind.ReleaseDisabled, environment, release,
            $"{release} cannot be promoted into {environment}: the release is disabled.");

    public static Refusal Protected(string environment, string release, string actor) =>
        new(RefusalKind.ProtectedWithoutRight, environment, release,
            $"{release} cannot be promoted into {environment}: {environment} is protected and {actor} is not an owner.");

    public static Refusal Held(string environment, string release, Hold hold) =>
        new(RefusalKind.DuringHold, environment, release,
            $"{release} is not promoted into {environment} automatically: {environment} is on hold since {hold.Reason} by {hold.SetBy}; " +
            "promote a release by hand or lift the hold.");

    public static Refusal RequiredEmpty(string environment, string release, IReadOnlyList<string> keys) =>
        new(RefusalKind.RequiredVariableEmpty, environment, release, keys.Count == 1
            ? $"{release} cannot be promoted into {environment}: the required variable {keys[0]} has no value there."
            : $"{release} cannot be promoted into {environment}: the required variables {Join(keys)} have no value there.");

    public static Refusal NotVerifiedForRollback(string environment, string release) =>
        new(RefusalKind.NotVerifiedForRollback, environment, release,
            $"{environment} cannot be rolled back to {release}: {release} was never verified in {environment}.");

    public static Refusal DoesNotFit(string environment, string release, string why) =>
        new(RefusalKind.ReleaseDoesNotFit, environment, release, $"{release} cannot be promoted into {environment}: {why}.");

    public static Refusal ForEach(string environment, string forEach) =>
        new(RefusalKind.ForEachDeclaration, environment, "",
            $"{environment} is a for_each environment over '{forEach}': releases go into its per-branch environments, not into it.");

    public static Refusal NoRelease(string environment, string pipeline) =>
        new(RefusalKind.NoRelease, environment, "", $"nothing can be promoted into {environment}: pipeline '{pipeline}' has no release for it yet.");

    public static Refusal AlreadyOpen(string environment, string release, long promotion, PromotionStatus status) =>
        new(RefusalKind.PromotionOpen, environment, release,
            $"{release} cannot be promoted into {environment}: promotion {promotion} of {release} is {status.ToText()} there.");

    public static Refusal Open(string environment, string release) =>
        new(RefusalKind.PromotionOpen, environment, release,
            $"{release} is not promoted into {environment} automatically: a promotion into {environment} is still open.");

    public static Refusal Busy(string environment, string release, long promotion, PromotionStatus status) =>
        new(RefusalKind.EnvironmentBusy, environment, release,
            $"{release} cannot start in {environment}: promotion {promotion} is {status.ToText()} there.");

    public static Refusal Approval(string environment, string release, string message) =>
        new(RefusalKind.ApprovalRefused, environment, release, message);

    public static Refusal Drifted(string environment, string release, InstanceDrift drift, bool rollback = false) =>
        new(RefusalKind.InstanceDrifted, environment, release,
            (rollback ? $"{environment} cannot be rolled back to {release}" : $"{release} cannot be promoted into {environment}") +
            $": its instance was changed by hand since Ferry deployed {drift.Deployed} there ({drift.Changes}); " +
            "force it (--force, or force: true) to overwrite those changes.");

    public static Refusal NotAllowed(string environment, string actor, string doing) =>
        new(RefusalKind.NotAllowed, environment, "", $"{actor} cannot {doing} {environment}: {environment} is protected and {actor} is not an owner.");

    private static string Join(IReadOnlyList<string> names, string last = "and") => names.Count switch
    {
        0 => "no environment",
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + $" {last} " + names[^1],
    };
}

/// <summary>
/// A request the domain refuses (a person asked for something the rules forbid): the API answers 409 (403 for
/// <see cref="RefusalKind.NotAllowed"/>) with the refusal's kind. Not an <see cref="InvalidOperationException"/>: an
/// unexpected exception is a failure of the server (500, logged), never a refusal.
/// </summary>
public sealed class PromotionRefusedException(Refusal refusal) : Exception(refusal.Message)
{
    public Refusal Refusal { get; } = refusal;
}

/// <summary>Set on an environment by a rollback: automatic promotion leaves it alone until someone lifts it or promotes by hand.</summary>
/// <param name="Reason">What set it, as it reads after "since": <c>a rollback to r5</c>.</param>
public sealed record Hold(string SetBy, string Reason, DateTimeOffset At);
