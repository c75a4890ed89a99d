using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Ferry.Engine.Processes;

/// <summary>
/// The read end of a child's stdout or stderr, non-blocking: a read takes what is there, and an async read that
/// finds nothing waits in <see cref="ChildIo"/> instead of holding a thread. Closing it ends a read that waits
/// (it then fails with <see cref="ObjectDisposedException"/>, as a pipe closed under its reader does).
/// </summary>
internal sealed class ChildPipe : ReadOnlyStream
{
    private readonly SafePipeHandle _handle;
    private readonly long _key = ChildIo.NewKey();
    private readonly Lock _gate = new();
    private bool _added;

    /// <summary>Owns <paramref name="fd"/>, a pipe's read end opened with O_NONBLOCK: it is closed when this is disposed.</summary>
    public ChildPipe(int fd) => _handle = new SafePipeHandle(fd, ownsHandle: true);

    public override bool CanRead => !_handle.IsClosed;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            if (TryRead(buffer, out var read))
            {
                return read;
            }
            // Nothing there yet: wait in poll, a second at a time, so a close under the reader ends the wait.
            var poll = new Posix.PollFd { Fd = Fd(), Events = Posix.PollIn };
            Posix.Poll(ref poll, 1, 1000);
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return TryRead(buffer.Span, out var read) ? ValueTask.FromResult(read) : WaitAndReadAsync(buffer, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                if (!_handle.IsClosed)
                {
                    ChildIo.Forget(Fd(), _key, _added);
                    _handle.Dispose();
                }
            }
        }
        base.Dispose(disposing);
    }

    private async ValueTask<int> WaitAndReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task ready;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
                ready = ChildIo.WhenReadable(Fd(), _key, ref _added);
            }
            await ready.WaitAsync(cancellationToken);
            if (TryRead(buffer.Span, out var read))
            {
                return read;
            }
        }
    }

    /// <summary>False when there is nothing to read yet; the count read otherwise (0 at the end).</summary>
    private bool TryRead(Span<byte> buffer, out int read)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            while (true)
            {
                var result = Posix.Read(_handle.DangerousGetHandle(), ref MemoryMarshal.GetReference(buffer), buffer.Length);
                if (result >= 0)
                {
                    read = (int)result;
                    return true;
                }
                var error = Marshal.GetLastPInvokeError();
                if (error == Posix.EAgain)
                {
                    read = 0;
                    return false;
                }
                if (error != Posix.EIntr)
                {
                    throw new IOException($"read: {Posix.StrError(error)}");
                }
            }
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    private int Fd()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return (int)_handle.DangerousGetHandle();
    }
}
