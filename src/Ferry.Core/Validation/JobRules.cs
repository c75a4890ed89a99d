using Ferry.Core.Pipelines;

namespace Ferry.Core.Validation;

internal static class JobRules
{
    public static void Check(PipelineConfig config, DiagnosticBag diagnostics)
    {
        NamedItems.Check(config.Jobs, "jobs", j => j.Name, diagnostics);
        foreach (var job in config.Jobs)
        {
            if (job.BuildLogRetention is { } retention)
            {
                if (job.BuildLogsToRetain is not null and not 0)
                {
                    diagnostics.Error(job.Location, job.Path, "can't use both build_log_retention and build_logs_to_retain");
                }
                Negative(retention.Builds, "builds");
                Negative(retention.Days, "days");
                Negative(retention.MinimumSucceededBuilds, "minimum_succeeded_builds");
                if (retention.Builds > 0 && retention.MinimumSucceededBuilds > retention.Builds)
                {
                    diagnostics.Error(retention.Location, retention.Path,
                        $"minimum_succeeded_builds ({retention.MinimumSucceededBuilds}) is greater than builds ({retention.Builds})");
                }
            }
            else if (job.BuildLogsToRetain < 0)
            {
                diagnostics.Error(job.LocationOf("build_logs_to_retain"), job.Path, $"has negative build_logs_to_retain: {job.BuildLogsToRetain}");
            }
            if (job.MaxInFlight is <= 0)
            {
                diagnostics.Error(job.LocationOf("max_in_flight"), job.Path + ".max_in_flight", "must be greater than 0");
            }
            var steps = new StepRules(config, diagnostics);
            foreach (var step in job.Plan)
            {
                steps.Check(step);
            }
            foreach (var hook in new[] { job.OnSuccess, job.OnFailure, job.OnError, job.OnAbort, job.Ensure }.OfType<Pipelines.Steps.Step>())
            {
                steps.Check(hook);
            }

            void Negative(int value, string field)
            {
                if (value < 0)
                {
                    diagnostics.Error(job.BuildLogRetention.LocationOf(field), $"{job.BuildLogRetention.Path}.{field}", $"must not be negative ({value})");
                }
            }
        }
    }
}
