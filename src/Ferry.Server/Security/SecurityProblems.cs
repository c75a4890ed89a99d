using Microsoft.AspNetCore.Mvc;

namespace Ferry.Server.Security;

/// <summary>A refusal of the guards in this folder, as the same <c>application/problem+json</c> the API answers with.</summary>
internal static class SecurityProblems
{
    public static async Task WriteAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Instance = http.Request.Path };
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
