using Ferry.Core.Promotion;

namespace Ferry.Server.Auth;

/// <summary>
/// Who the current request comes from: the user of its API token (<c>Authorization: Bearer</c>, else the
/// <c>ferry_token</c> cookie the web UI signs in with), or <c>anonymous</c> when it carries none.
/// <see cref="TokenAuthentication"/> fills it in once, before the endpoint runs.
/// </summary>
internal sealed class RequestActor
{
    public static Actor Anonymous { get; } = Actor.User(UserNames.Anonymous);

    public Actor Actor { get; private set; } = Anonymous;

    /// <summary>True when the request carried a token the store knows.</summary>
    public bool IsAuthenticated { get; private set; }

    /// <summary>True when a request outside the API carried an unknown or revoked token (the UI asks to sign in again).</summary>
    public bool TokenRejected { get; private set; }

    internal void SignIn(Actor actor)
    {
        Actor = actor;
        IsAuthenticated = true;
    }

    internal void Reject() => TokenRejected = true;
}
