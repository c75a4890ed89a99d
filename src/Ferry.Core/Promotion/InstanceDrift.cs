namespace Ferry.Core.Promotion;

/// <summary>
/// An environment's instance runs other flows than Ferry deployed there (someone edited them in the editor): a
/// promotion or rollback would overwrite those edits, so it is refused unless a person forces it.
/// </summary>
/// <param name="Deployed">What Ferry deployed last (<c>r4</c>, or a snapshot hash when no release is known).</param>
/// <param name="Changes">What changed, in short (<c>tab Flow 1: 1 node changed (func)</c>).</param>
public sealed record InstanceDrift(string Deployed, string Changes);
