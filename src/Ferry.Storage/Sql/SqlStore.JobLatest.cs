using Dapper;
using Ferry.Core.Builds;

namespace Ferry.Storage.Sql;

internal sealed partial class SqlStore
{
    public async Task<IReadOnlyList<JobLatest>> ListJobLatestAsync(IReadOnlyCollection<int> pipelineIds, CancellationToken cancellationToken = default)
    {
        if (pipelineIds.Count == 0)
        {
            return [];
        }
        // Ids are integers, so they go into the text as they are.
        var ids = string.Join(",", pipelineIds.Distinct().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return await ReadAsync<IReadOnlyList<JobLatest>>(async c =>
        {
            var jobs = (await c.QueryAsync<JobRow>(Cmd(
                $"SELECT {JobRow.Columns} FROM jobs WHERE pipeline_id IN ({ids}) AND active ORDER BY pipeline_id, id", null, cancellationToken)))
                .Select(r => r.ToRecord()).ToList();
            // The newest finished build walks each job's builds newest first (builds_by_job) and stops at the first that
            // ended, usually the newest; builds in flight are few, found through builds_by_status.
            var builds = (await c.QueryAsync<BuildRow>(Cmd(
                $"{BuildRow.Select} WHERE b.id IN (" +
                "SELECT (SELECT f.id FROM builds f WHERE f.job_id = j.id AND f.status NOT IN ('pending', 'started') ORDER BY f.id DESC LIMIT 1) " +
                $"FROM jobs j WHERE j.pipeline_id IN ({ids}) AND j.active) " +
                $"OR b.id IN (SELECT MAX(r.id) FROM builds r WHERE r.status IN ('pending', 'started') AND r.pipeline_id IN ({ids}) AND r.job_id IS NOT NULL GROUP BY r.job_id)",
                null, cancellationToken))).Select(r => r.ToRecord(_secrets)).ToList();
            var finished = builds.Where(b => b.Status.IsFinal()).ToDictionary(b => b.JobId!.Value);
            var running = builds.Where(b => !b.Status.IsFinal()).ToDictionary(b => b.JobId!.Value);
            return [.. jobs.Select(j => new JobLatest(j, finished.GetValueOrDefault(j.Id), running.GetValueOrDefault(j.Id)))];
        }, cancellationToken);
    }
}
