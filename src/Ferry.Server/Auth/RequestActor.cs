using Ferry.Core.Promotion;
using Ferry.Storage;

namespace Ferry.Server.Auth;

/// <summary>
/// Who the current request comes from: the user of its API token (<c>Authorization: Bearer</c>, else the
/// <c>ferry_token</c> cookie the web UI signs in with), or <c>anonymous</c> when it carries none (which only a server
/// started with <c>--insecure-no-auth</c> lets through, as a global owner). <see cref="TokenAuthentication"/> fills it
/// in once, before the endpoint runs.
/// </summary>
internal sealed class RequestActor(AuthMode mode)
{
    /// <summary>The signed-in user; null for anonymous.</summary>
    public UserRecord? User { get; private set; }

    /// <summary>True when the request carried a token the store knows.</summary>
    public bool IsAuthenticated => User is not null;

    /// <summary>True when a request outside the API carried an unknown or revoked token (the UI asks to sign in again).</summary>
    public bool TokenRejected { get; private set; }

    public string Name => User?.Name ?? UserNames.Anonymous;

    /// <summary>A global owner: everything, in every team, and users and tokens. Anonymous is one only without authentication.</summary>
    public bool IsOwner => User?.Owner ?? mode.InsecureNoAuth;

    /// <summary>The pipeline this request was let into (<see cref="Access"/>), whose team decides <see cref="Actor"/>'s owner flag.</summary>
    public PipelineAccess? Pipeline { get; private set; }

    /// <summary>
    /// The request's user as promotions and approvals see them: their teams, and an owner when a global owner or, once
    /// the request was let into a pipeline, an owner of that pipeline's team.
    /// </summary>
    public Actor Actor => Pipeline?.Actor ?? BaseActor;

    internal Actor BaseActor => new(Name, new HashSet<string>(User?.Teams ?? [], StringComparer.Ordinal), IsOwner, Operates: IsOwner, SignedIn: IsAuthenticated);

    /// <summary>The user's role in <paramref name="team"/>; owner everywhere for a global owner.</summary>
    public TeamRole? RoleIn(string team) => IsOwner ? TeamRole.Owner : User?.RoleIn(team);

    /// <summary>Whether the user has a role anywhere (listing users needs one).</summary>
    public bool HasAnyRole => IsOwner || User?.Memberships.Count > 0;

    /// <summary>The remote worker a worker token names, on the worker routes (<c>/api/v1/worker/</c>) only; null elsewhere.</summary>
    public string? Worker { get; private set; }

    internal void SignIn(UserRecord user) => User = user;

    internal void SignInWorker(string worker) => Worker = worker;

    internal void Reject() => TokenRejected = true;

    internal void Enter(PipelineAccess pipeline) => Pipeline = pipeline;
}

/// <summary>Whether the server checks who asks (the default) or lets everyone in as an owner (<c>--insecure-no-auth</c>).</summary>
internal sealed record AuthMode(bool InsecureNoAuth);
