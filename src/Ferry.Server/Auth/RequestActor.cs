using Ferry.Core.Promotion;

namespace Ferry.Server.Auth;

/// <summary>
/// Who the current request comes from: the user of its API token (<c>Authorization: Bearer</c>, else the
/// <c>ferry_token</c> cookie the web UI signs in with), or <c>anonymous</c> when it carries none.
/// <see cref="TokenAuthentication"/> fills it in once, before the endpoint runs.
/// </summary>
internal sealed class RequestActor
{
    /// <summary>The name a request without a token acts as; no user may take it.</summary>
    public const string AnonymousName = "anonymous";

    public static Actor Anonymous { get; } = Actor.User(AnonymousName);

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

    /// <summary>Names no user may have: the one of requests without a token, and the one automatic promotions run as.</summary>
    public static bool IsReservedName(string name) =>
        string.Equals(name, AnonymousName, StringComparison.OrdinalIgnoreCase) || string.Equals(name, Actor.System.Name, StringComparison.OrdinalIgnoreCase);
}
