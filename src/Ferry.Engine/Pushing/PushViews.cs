using Ferry.Engine.Promoting;

namespace Ferry.Engine.Pushing;

/// <summary>
/// A push from one stage to the next, as the API, the CLI and the web UI show it: which snapshot it takes, the
/// release that is, what it tells the person about that choice, the preview, and the promotion once confirmed.
/// </summary>
/// <param name="From">The source stage (the upstream environment).</param>
/// <param name="Snapshot"><c>now</c>, <c>latest</c> or the chosen release.</param>
/// <param name="Note">What the choice means here, in a sentence (for <c>now</c> on a downstream stage: what Ferry deployed there).</param>
/// <param name="Promotion">Null for a preview (a dry run).</param>
public sealed record PushView(string From, string To, string Snapshot, string Release, string Note, PreviewView Preview, PromotionView? Promotion);

/// <summary>What the play button between two stages offers: a snapshot now, the latest, or an earlier one.</summary>
/// <param name="Now">What taking a snapshot now means for this source.</param>
/// <param name="Latest">The source's current release; null when it has none yet.</param>
/// <param name="Earlier">Earlier releases verified in the source, newest first.</param>
public sealed record PushOptionsView(string From, string To, string Now, string? Latest, IReadOnlyList<ReleaseView> Earlier);

/// <summary>
/// A push could not take its snapshot or get it through the source stage (the instance did not answer, the check
/// failed, the promotion into the source did not succeed): the API answers 502 with the message.
/// </summary>
public sealed class PushFailedException(string message) : Exception(message);
