using System.Text.Json;

namespace Ferry.Server.Api;

/// <summary>
/// A JSON body a request may leave out (<c>curl -X PUT …/hold</c>). A bound <c>T?</c> parameter does not do: its
/// accepts metadata makes routing skip the endpoint for a request without a JSON content type, so the caller got
/// "no API route" instead of the operation.
/// </summary>
internal static class OptionalBody
{
    public static async Task<T?> ReadAsync<T>(HttpContext http, CancellationToken cancellationToken) where T : class
    {
        if (!http.Request.HasJsonContentType() || http.Request.ContentLength == 0)
        {
            return null;
        }
        try
        {
            return await http.Request.ReadFromJsonAsync<T>(cancellationToken);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest("body", $"the request body is not valid JSON: {e.Message}");
        }
    }

    /// <summary>Says in the OpenAPI document what the endpoint reads, without the routing constraint of a bound body.</summary>
    public static RouteHandlerBuilder WithOptionalBody<T>(this RouteHandlerBuilder endpoint, string example) =>
        endpoint.WithDescription($"Optional JSON body ({typeof(T).Name}), e.g. {example}.");
}
