using Ferry.Core.Promotion;
using Ferry.Engine.Instances;
using Ferry.Storage;

namespace Ferry.Engine.Promoting;

/// <summary>
/// What the API, the CLI and the web UI show of environments, releases and promotions (one shape for all three).
/// Release names are short (<c>r7</c>); versions are their fields.
/// </summary>
public sealed record EnvironmentView(
    string Name,
    IReadOnlyList<string> Upstream,
    bool AnyUpstream,
    IReadOnlyList<string> FirstFrom,
    string Promote,
    bool Protected,
    ApprovalView? Approval,
    string? ForEach,
    string? Branch,
    ReleaseRef? Current,
    string? Status,
    PromotionView? LastPromotion,
    HoldView? Hold,
    string? NewestEligible)
{
    /// <summary>Its instance runs other flows than Ferry deployed there, as the drift loop or a preview last saw.</summary>
    public DriftView? Drift { get; init; }
    /// <summary>The instance the environment is bound to (a stage); null for an environment with a deploy plan.</summary>
    public InstanceRef? Instance { get; init; }
}

public sealed record ApprovalView(int Required, IReadOnlyList<string> From, bool AllowSelf)
{
    public static ApprovalView? Of(ApprovalRule? rule) => rule is null ? null : new(rule.Required, rule.From, rule.AllowSelf);
}

public sealed record HoldView(string SetBy, string Reason, DateTimeOffset At)
{
    public static HoldView? Of(Hold? hold) => hold is null ? null : new(hold.SetBy, hold.Reason, hold.At);
}

/// <summary>An environment's current release: the last one verified there.</summary>
public sealed record ReleaseRef(string Name, int Number, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Versions,
    DateTimeOffset? Since, string? By);

public sealed record ReleaseView(
    string Name,
    int Number,
    string Id,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Versions,
    IReadOnlyList<string> VerifiedIn,
    DateTimeOffset CreatedAt,
    long? SourceBuildId,
    bool Disabled)
{
    public static ReleaseView Of(ReleaseRecord r) =>
        new(r.Name, r.Number, r.Content.Id, VersionsOf(r.Content), r.VerifiedIn, r.CreatedAt, r.SourceBuildId, r.Disabled);

    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> VersionsOf(Release release) =>
        release.Items.ToDictionary(i => i.Resource, i => i.Version, StringComparer.Ordinal);
}

public sealed record PromotionView(
    long Id,
    string Pipeline,
    string Environment,
    string Release,
    string Trigger,
    string Status,
    string RequestedBy,
    long? BuildId,
    string? Reason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    ApprovalView? Approval,
    IReadOnlyList<VoteView> Votes)
{
    public static PromotionView Of(string pipeline, PromotionRecord p, ApprovalRule? rule) => new(
        p.Id, pipeline, p.Environment, p.Release, p.Trigger.ToText(), p.Status.ToText(), p.RequestedBy, p.BuildId, p.Reason,
        p.CreatedAt, p.UpdatedAt, p.EndedAt, ApprovalView.Of(rule),
        [.. p.Votes.Select(v => new VoteView(v.Approver, v.Approved, v.Comment, v.At))]);
}

public sealed record VoteView(string Approver, bool Approved, string? Comment, DateTimeOffset At);

public sealed record RefusalView(string Kind, string Message)
{
    public static RefusalView? Of(Refusal? refusal) => refusal is null ? null : new(KindText(refusal.Kind), refusal.Message);

    /// <summary><c>would_skip_environment</c>: the kind as the API names it.</summary>
    public static string KindText(RefusalKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

public sealed record PreviewView(
    string Environment,
    string Release,
    string? CurrentRelease,
    IReadOnlyList<ChangeView> Changes,
    IReadOnlyList<string> KeysWithoutValue,
    RefusalView? Refusal)
{
    /// <summary>The environment's instance was edited by hand since Ferry deployed there: a promotion needs force.</summary>
    public DriftView? Drift { get; init; }
    /// <summary>For an environment bound to a Node-RED instance: what its flows would change, by tab; null otherwise.</summary>
    public Core.Flows.FlowDiff? Flows { get; init; }

    /// <summary>Node modules the release's flows use that the environment's instance lacks.</summary>
    public IReadOnlyList<MissingModule> MissingModules { get; init; } = [];
}

public sealed record ChangeView(
    string Resource,
    IReadOnlyDictionary<string, string>? From,
    IReadOnlyDictionary<string, string>? To,
    IReadOnlyList<CommitView> Commits)
{
    /// <summary>What the new version says about itself (an image's labels: the package version inside the digest).</summary>
    public IReadOnlyList<Core.Versions.MetadataField> Metadata { get; init; } = [];
}

public sealed record CommitView(string Sha, string Subject, string Author);

public sealed record ExplainView(string Environment, string? NewestRelease, string? Candidate, bool WouldPromote, string Why);

/// <param name="Value">Null for a secret, always.</param>
public sealed record VariableView(string Name, string? Value, bool Secret, bool HasValue, bool Required, DateTimeOffset? UpdatedAt, string? UpdatedBy);

/// <param name="Pipeline">The pipeline's name, also once it is destroyed; empty for a change of users, roles or tokens.</param>
public sealed record AuditView(long Id, DateTimeOffset At, string Pipeline, string Actor, string Action, string? Environment, long? PromotionId, string? Release,
    string? Detail)
{
    public static AuditView Of(AuditLogEntry a) =>
        new(a.Id, a.At, a.Pipeline, a.Actor, a.Action, a.Environment, a.PromotionId, a.ReleaseNumber is { } n ? ReleaseName.Of(n) : null, a.Detail);
}

/// <summary>A pipeline, environment, release or promotion the request names does not exist (the API answers 404).</summary>
public sealed class PromotionLookupException(string message) : Exception(message);
