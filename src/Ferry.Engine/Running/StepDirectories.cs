namespace Ferry.Engine.Running;

/// <summary>
/// Makes each step's empty directory under the build's <c>steps</c> directory. A <c>mkdir</c> costs about 0.1 ms
/// on the disks measured, a tenth of a trivial task, so the next one is made ahead while a step runs and only
/// renamed to its step's name when that step asks (a third of the cost); one made ahead is left over at the end.
/// </summary>
internal sealed class StepDirectories(string stepsRoot)
{
    private readonly Lock _gate = new();
    private int _made;
    private int _spares;
    private Task<string>? _ahead;

    /// <summary>A new empty directory, unique in the build: <c>NNNN-label</c>, numbered in the order asked for.</summary>
    public string New(string label)
    {
        var safe = string.Concat(label.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
        var path = Path.Combine(stepsRoot, $"{Interlocked.Increment(ref _made):D4}-{safe}");
        Task<string>? ahead;
        lock (_gate)
        {
            // One that is not made yet is left for the next step: steps in parallel do not wait on each other.
            ahead = _ahead is { IsCompleted: true } ? _ahead : null;
            if (ahead is not null || _ahead is null)
            {
                _ahead = MakeAhead(Interlocked.Increment(ref _spares));
            }
        }
        if (ahead is { IsCompletedSuccessfully: true })
        {
            try
            {
                Directory.Move(ahead.Result, path);
                return path;
            }
            catch (IOException)
            {
                // Made ahead but gone (or the name taken): made here instead.
            }
        }
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Waits until the directory being made ahead is made (or failed), so the build's work root can be removed whole.</summary>
    public async Task SettleAsync()
    {
        Task<string>? ahead;
        lock (_gate)
        {
            ahead = _ahead;
        }
        if (ahead is not null)
        {
            await ((Task)ahead).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private Task<string> MakeAhead(int n) => Task.Run(() => Directory.CreateDirectory(Path.Combine(stepsRoot, $".ahead-{n}")).FullName);
}
