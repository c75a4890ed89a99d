using Ferry.Core.Promotion;
using Ferry.Storage;

namespace Ferry.Server.Auth;

/// <summary>
/// What the request's user may do with one pipeline they may see: their role in its team (none for someone who sees it
/// only as an approver named in an environment's <c>approval.from</c>).
/// </summary>
internal sealed record PipelineAccess(PipelineRecord Pipeline, string User, TeamRole? Role, bool Approver, Actor Actor)
{
    /// <summary>An approver without a role may read the pipeline and approve there; their role, if any, allows the rest.</summary>
    public bool Can(Operation operation) =>
        Role >= operation.Role || (Approver && (operation == Operations.See || operation == Operations.Approve));

    /// <summary>Why the user may not do <paramref name="operation"/>, naming the role it needs; null when they may.</summary>
    public string? Refusal(Operation operation)
    {
        if (Can(operation))
        {
            return null;
        }
        var role = TeamRoles.Text(operation.Role);
        var approver = operation == Operations.Approve ? " (or to be named in an environment's approval.from)" : "";
        return $"{User} needs the {role} role in team {Pipeline.Team}{approver} to {operation.On(Pipeline.Name)}";
    }
}
