using Dapper;
using Ferry.Storage.Secrets;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    /// <summary>
    /// A plan is compiled with the config's vars filled in, secret ones too: it is sealed when the pipeline's current
    /// config has secret vars (see <see cref="SealedColumns"/>).
    /// </summary>
    private async Task<string> SealPlanAsync(WriteScope scope, int pipelineId, string planJson, CancellationToken cancellationToken)
    {
        var secretVars = await scope.Connection.ExecuteScalarAsync<string?>(Cmd(scope,
            "SELECT c.secret_vars FROM pipeline_configs c JOIN pipelines p ON p.id = c.pipeline_id AND c.number = p.current_config WHERE p.id = @pipelineId",
            new { pipelineId = (long)pipelineId }, cancellationToken));
        var seal = secretVars is not (null or "[]");
        return SealedColumns.SealIf(_secrets, seal, planJson, SealedColumns.BuildPlan(pipelineId))!;
    }
}
