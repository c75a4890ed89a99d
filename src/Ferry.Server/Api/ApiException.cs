namespace Ferry.Server.Api;

/// <summary>
/// A request that cannot be served, with the status and the words to say why; <see cref="ApiExceptionHandler"/>
/// turns it into an RFC 9457 problem. <see cref="Field"/> names the request field or config path that is wrong.
/// </summary>
internal sealed class ApiException(int status, string detail, string? field = null, IReadOnlyList<ConfigError>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string? Field { get; } = field;
    public IReadOnlyList<ConfigError>? Errors { get; } = errors;

    public static ApiException NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);
    public static ApiException BadRequest(string field, string detail) => new(StatusCodes.Status400BadRequest, detail, field);
    public static ApiException Conflict(string detail) => new(StatusCodes.Status409Conflict, detail);
    public static ApiException Forbidden(string detail) => new(StatusCodes.Status403Forbidden, detail);
}

/// <summary>One problem in a pipeline config: where (file:line:column), which config path, what.</summary>
public sealed record ConfigError(string? Location, string Path, string Message);
