namespace Ferry.Core.Resolving;

/// <summary>One resource's versions in its current scope, sorted by check order.</summary>
internal sealed class ResourceVersions
{
    private readonly long[] _checkOrders;
    private readonly long[] _versionIds;
    private readonly bool[] _disabled;
    private readonly Dictionary<long, int> _positionOf;

    public ResourceVersions(List<SnapshotVersion> versions)
    {
        versions.Sort((a, b) => a.CheckOrder != b.CheckOrder ? a.CheckOrder.CompareTo(b.CheckOrder) : a.VersionId.CompareTo(b.VersionId));
        _checkOrders = new long[versions.Count];
        _versionIds = new long[versions.Count];
        _disabled = new bool[versions.Count];
        _positionOf = new Dictionary<long, int>(versions.Count);
        for (var i = 0; i < versions.Count; i++)
        {
            _checkOrders[i] = versions[i].CheckOrder;
            _versionIds[i] = versions[i].VersionId;
            _disabled[i] = versions[i].Disabled;
            _positionOf[versions[i].VersionId] = i;
        }
    }

    private ResourceVersions(long[] checkOrders, long[] versionIds, bool[] disabled, Dictionary<long, int> positionOf)
    {
        _checkOrders = checkOrders;
        _versionIds = versionIds;
        _disabled = disabled;
        _positionOf = positionOf;
    }

    public static readonly ResourceVersions Empty = new([]);

    /// <summary>
    /// These versions with <paramref name="changed"/> added or put in place of the ones with the same id. New versions
    /// that a check appended (after the newest) are copied onto the end; anything else (a version moved or disabled)
    /// sorts the whole list again.
    /// </summary>
    public ResourceVersions With(List<SnapshotVersion> changedRows)
    {
        var replaced = new Dictionary<long, SnapshotVersion>(changedRows.Count);
        foreach (var v in changedRows)
        {
            replaced[v.VersionId] = v;
        }
        var changed = replaced.Values.ToList();
        changed.Sort((a, b) => a.CheckOrder != b.CheckOrder ? a.CheckOrder.CompareTo(b.CheckOrder) : a.VersionId.CompareTo(b.VersionId));
        var appends = true;
        (long Order, long Id) last = Count == 0 ? (long.MinValue, long.MinValue) : (_checkOrders[^1], _versionIds[^1]);
        foreach (var v in changed)
        {
            if (_positionOf.ContainsKey(v.VersionId) || (v.CheckOrder, v.VersionId).CompareTo(last) <= 0)
            {
                appends = false;
                break;
            }
            last = (v.CheckOrder, v.VersionId);
        }
        if (!appends)
        {
            var rows = new List<SnapshotVersion>(Count + changed.Count);
            for (var i = 0; i < Count; i++)
            {
                if (!replaced.ContainsKey(_versionIds[i]))
                {
                    rows.Add(new SnapshotVersion(0, _versionIds[i], _checkOrders[i], _disabled[i]));
                }
            }
            rows.AddRange(replaced.Values);
            return new ResourceVersions(rows);
        }
        var n = Count + changed.Count;
        var checkOrders = new long[n];
        var versionIds = new long[n];
        var disabled = new bool[n];
        Array.Copy(_checkOrders, checkOrders, Count);
        Array.Copy(_versionIds, versionIds, Count);
        Array.Copy(_disabled, disabled, Count);
        var positionOf = new Dictionary<long, int>(_positionOf);
        for (var i = 0; i < changed.Count; i++)
        {
            checkOrders[Count + i] = changed[i].CheckOrder;
            versionIds[Count + i] = changed[i].VersionId;
            disabled[Count + i] = changed[i].Disabled;
            positionOf[changed[i].VersionId] = Count + i;
        }
        return new ResourceVersions(checkOrders, versionIds, disabled, positionOf);
    }

    public long VersionIdAt(int position) => _versionIds[position];

    public bool IsDisabledAt(int position) => _disabled[position];

    public int Count => _versionIds.Length;

    public bool Exists(long versionId) => _positionOf.ContainsKey(versionId);

    public bool IsDisabled(long versionId) => _positionOf.TryGetValue(versionId, out var p) && _disabled[p];

    /// <summary>Position in check order, or -1 when the version is not in the current scope.</summary>
    public int PositionOf(long versionId) => _positionOf.TryGetValue(versionId, out var p) ? p : -1;

    public long CheckOrderAt(int position) => _checkOrders[position];

    /// <summary>The highest enabled version, or null.</summary>
    public long? Latest() => HighestEnabledAtOrBelow(Count - 1);

    public long? HighestEnabledAtOrBelow(int position)
    {
        for (var i = position; i >= 0; i--)
        {
            if (!_disabled[i])
            {
                return _versionIds[i];
            }
        }
        return null;
    }

    /// <summary>The first enabled version with a check order above the one at <paramref name="position"/>, and whether another follows it.</summary>
    public (long? Next, bool HasMore) NextEnabledAfter(int position)
    {
        var threshold = _checkOrders[position];
        var start = UpperBound(threshold);
        long? next = null;
        for (var i = start; i < Count; i++)
        {
            if (_disabled[i])
            {
                continue;
            }
            if (next is null)
            {
                next = _versionIds[i];
                continue;
            }
            return (next, true);
        }
        return (next, false);
    }

    private int UpperBound(long checkOrder)
    {
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_checkOrders[mid] <= checkOrder)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
