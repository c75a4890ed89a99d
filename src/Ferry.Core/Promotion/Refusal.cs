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

    private static string Join(IReadOnlyList<string> names, string last = "and") => names.Count switch
    {
        0 => "no environment",
        1 => names[0],
        _ => string.Join(", ", names.Take(names.Count - 1)) + $" {last} " + names[^1],
    };
}

/// <summary>Thrown where a refused promotion was asked for anyway; carries the refusal for the API's problem details.</summary>
public sealed class PromotionRefusedException(Refusal refusal) : InvalidOperationException(refusal.Message)
{
    public Refusal Refusal { get; } = refusal;
}

/// <summary>Set on an environment by a rollback: automatic promotion leaves it alone until someone lifts it or promotes by hand.</summary>
/// <param name="Reason">What set it, as it reads after "since": <c>a rollback to r5</c>.</param>
public sealed record Hold(string SetBy, string Reason, DateTimeOffset At);
