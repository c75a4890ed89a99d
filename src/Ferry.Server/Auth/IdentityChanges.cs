namespace Ferry.Server.Auth;

/// <summary>
/// User and token changes as log lines of the server, with who made them. The audit log (audit_log) is per pipeline
/// and kept by the promotion store; until it takes entries of no pipeline, these lines are the record.
/// </summary>
internal sealed partial class IdentityChanges
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} {Change} user '{User}' (owner: {Owner}; teams: {Teams})")]
    public static partial void UserSaved(ILogger logger, string actor, string change, string user, bool owner, string teams);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} removed user '{User}' and their tokens")]
    public static partial void UserRemoved(ILogger logger, string actor, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} gave '{User}' the {Role} role in team {Team}")]
    public static partial void RoleSet(ILogger logger, string actor, string user, string role, string team);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} took '{User}' out of team {Team}")]
    public static partial void RoleRemoved(ILogger logger, string actor, string user, string team);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} created token {Id} for '{User}' (label: {Label})")]
    public static partial void TokenCreated(ILogger logger, string actor, long id, string user, string label);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Actor} revoked token {Id} of '{User}'")]
    public static partial void TokenRevoked(ILogger logger, string actor, long id, string user);
}
