namespace Ferry.Core.Resolving;

/// <summary>
/// Solves the inputs that share passed jobs together: every chosen version must come from one build of each of its
/// passed jobs, and a build that vouches for several inputs vouches for all of them at once. Depth-first over upstream
/// builds newest first, backtracking on conflicts; states that failed once are not searched again.
/// </summary>
internal sealed class GroupResolver
{
    private readonly ResolverSnapshot _snapshot;
    private readonly GroupInput[] _inputs;
    private readonly int[] _jobIds;
    private readonly JobBuilds? _history;
    private readonly Candidate?[] _candidates;
    private readonly Dictionary<int, Dictionary<int, ResolverBuild>> _lastUsedPassedBuilds = [];
    private readonly HashSet<SearchState> _deadEnds = [];
    private SearchState? _lastDoomed;

    public GroupResolver(ResolverSnapshot snapshot, GroupInput[] inputs, int[] jobIds, JobBuilds? history)
    {
        _snapshot = snapshot;
        _inputs = inputs;
        _jobIds = jobIds;
        _history = history;
        _candidates = new Candidate?[inputs.Length];
    }

    /// <summary>Each input's candidate when the group resolved, or null.</summary>
    public Candidate[]? Resolve() => TryResolve() ? _candidates.Select(c => c!).ToArray() : null;

    private bool TryResolve()
    {
        for (var i = 0; i < _inputs.Length; i++)
        {
            if (!TrySatisfy(i))
            {
                return false;
            }
        }
        return true;
    }

    private bool TrySatisfy(int inputIndex)
    {
        var current = _candidates[inputIndex];
        foreach (var job in _inputs[inputIndex].Jobs)
        {
            if (current is not null && current.IsVouchedBy(job))
            {
                continue;
            }
            var builds = BuildsToTry(inputIndex, current, job);
            if (builds is null)
            {
                continue;
            }
            foreach (var (build, hasNext) in builds)
            {
                if (TryBuild(inputIndex, job, build, hasNext))
                {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    private bool TryBuild(int resolving, int job, ResolverBuild build, bool hasNext)
    {
        Span<bool> touched = stackalloc bool[_inputs.Length];
        Candidate?[]? restore = null;
        var mismatch = false;
        foreach (var version in build.Vouches)
        {
            if (!Apply(version, job, build.Id, hasNext, touched, ref restore, ref mismatch))
            {
                break;
            }
        }
        var mine = _candidates[resolving];
        if (mine is not null && mine.IsVouchedBy(job) && !mismatch)
        {
            var state = new SearchState(_candidates);
            var doomed = _lastDoomed is { } last && last.Equals(state);
            if (!doomed && !_deadEnds.Contains(state))
            {
                if (TryResolve())
                {
                    return true;
                }
                _lastDoomed = state;
                _deadEnds.Add(state);
            }
        }
        for (var c = 0; restore is not null && c < _inputs.Length; c++)
        {
            if (touched[c])
            {
                _candidates[c] = restore[c];
            }
        }
        return false;
    }

    /// <summary>Lets one vouched version pin the inputs it relates to; false stops reading this build's versions.</summary>
    private bool Apply(VersionRef version, int job, long buildId, bool hasNext, Span<bool> touched, ref Candidate?[]? restore, ref bool mismatch)
    {
        for (var c = 0; c < _inputs.Length; c++)
        {
            var input = _inputs[c];
            if (touched[c] || input.ResourceId != version.ResourceId || !input.HasJob[job])
            {
                continue;
            }
            var candidate = _candidates[c];
            if (candidate is not null && candidate.VersionId != version.VersionId)
            {
                mismatch = true;
                return false;
            }
            var versions = _snapshot.VersionsOf(version.ResourceId);
            if (versions.IsDisabled(version.VersionId) || (input.PinnedVersionId is { } pin && pin != version.VersionId))
            {
                continue;
            }
            if (candidate is null && !versions.Exists(version.VersionId))
            {
                // A version outside the resource's current scope: Concourse stops reading this build here.
                return false;
            }
            touched[c] = true;
            restore ??= new Candidate?[_inputs.Length];
            restore[c] = candidate;
            _candidates[c] = Candidate.Vouch(candidate, version.VersionId, job, _jobIds.Length, buildId, hasNext);
        }
        return true;
    }

    /// <summary>The builds of <paramref name="job"/> to try for an input, or null to defer the job (every with passed).</summary>
    private IEnumerable<(ResolverBuild, bool)>? BuildsToTry(int inputIndex, Candidate? current, int job)
    {
        var input = _inputs[inputIndex];
        var jobBuilds = _snapshot.BuildsOf(_jobIds[job]);
        var constraints = current is null ? null : Constraints(job);
        if (input.Config.Mode == VersionMode.Every)
        {
            var lastUsed = LastUsedPassedBuilds(input);
            if (lastUsed.TryGetValue(job, out var cursor))
            {
                return jobBuilds.UnusedFirst(cursor, constraints);
            }
            if (current is null && input.Jobs.Any(lastUsed.ContainsKey))
            {
                // Resume where the other passed jobs left off; this job vouches during the recursion.
                return null;
            }
        }
        return jobBuilds.NewestFirst(constraints);
    }

    private List<VersionRef> Constraints(int job)
    {
        var constraints = new List<VersionRef>();
        for (var c = 0; c < _inputs.Length; c++)
        {
            if (_inputs[c].HasJob[job] && _candidates[c] is { } candidate)
            {
                constraints.Add(new VersionRef(_inputs[c].ResourceId, candidate.VersionId));
            }
        }
        return constraints;
    }

    /// <summary>
    /// For every with passed: the job's build that used the highest version of the input's resource, and the upstream
    /// build of each passed job that fed it (group job index to build).
    /// </summary>
    private Dictionary<int, ResolverBuild> LastUsedPassedBuilds(GroupInput input)
    {
        if (_lastUsedPassedBuilds.TryGetValue(input.ResourceId, out var cached))
        {
            return cached;
        }
        var result = new Dictionary<int, ResolverBuild>();
        var latestBuild = History.LatestBuildUsingHighestVersion(_history, _snapshot.VersionsOf(input.ResourceId), input.ResourceId);
        if (latestBuild is { } latestBuildId)
        {
            foreach (var fromId in _snapshot.PipesInto(latestBuildId))
            {
                if (_snapshot.Build(fromId) is not { } from)
                {
                    continue;
                }
                var job = Array.IndexOf(_jobIds, from.JobId);
                if (job >= 0 && (!result.TryGetValue(job, out var seen) || ResolverBuild.CompareNewestFirst(from, seen) < 0))
                {
                    result[job] = from;
                }
            }
        }
        _lastUsedPassedBuilds[input.ResourceId] = result;
        return result;
    }
}
