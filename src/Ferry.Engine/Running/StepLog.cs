using System.Buffers;
using System.Text;
using Ferry.Core.Builds;

namespace Ferry.Engine.Running;

/// <summary>
/// A step's output: pipes read in large chunks, cut at line ends, sent as one log event per chunk. Past the
/// step's cap it writes a marker once and then reads and discards the rest, so the process runs to its end.
/// </summary>
internal sealed class StepLog(EventWriter events, string stepId, long capBytes, int maxLineBytes)
{
    private const int ReadSize = 64 * 1024;
    private long used;
    private int truncated;

    public bool Truncated => Volatile.Read(ref truncated) == 1;

    public async Task PumpAsync(Stream source, LogStream stream)
    {
        // Pooled, and only as large as the longest unfinished line needs (up to the line limit): a build of many short
        // tasks would otherwise take a buffer of the line limit (1 MiB) per pipe.
        var capacity = Math.Min(maxLineBytes, ReadSize) + ReadSize;
        var pending = ArrayPool<byte>.Shared.Rent(capacity);
        var count = 0;
        try
        {
            while (!Truncated)
            {
                if (count > maxLineBytes)
                {
                    // A line longer than the limit: send what we have as a line of its own.
                    var cut = CharBoundary(pending, count);
                    await EmitAsync(pending, cut, stream, addNewline: true);
                    Buffer.BlockCopy(pending, cut, pending, 0, count - cut);
                    count -= cut;
                    continue;
                }
                if (capacity - count < ReadSize)
                {
                    capacity = Math.Min(capacity * 2, maxLineBytes + ReadSize);
                    var larger = ArrayPool<byte>.Shared.Rent(capacity);
                    Buffer.BlockCopy(pending, 0, larger, 0, count);
                    ArrayPool<byte>.Shared.Return(pending);
                    pending = larger;
                }
                var read = await source.ReadAsync(pending.AsMemory(count, ReadSize));
                if (read == 0)
                {
                    break;
                }
                var last = pending.AsSpan(count, read).LastIndexOf((byte)'\n');
                count += read;
                if (last < 0)
                {
                    continue;
                }
                var end = count - read + last + 1;
                await EmitAsync(pending, end, stream, addNewline: false);
                Buffer.BlockCopy(pending, end, pending, 0, count - end);
                count -= end;
            }
            if (Truncated)
            {
                while (await source.ReadAsync(pending) > 0)
                {
                }
            }
            else if (count > 0)
            {
                await EmitAsync(pending, count, stream, addNewline: true);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe was closed under us after the process group was killed; nothing more to read.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pending);
        }
    }

    /// <summary>Text a resource type reports (its stderr), one line at a time.</summary>
    public ValueTask WriteLineAsync(string line, LogStream stream)
    {
        var bytes = Encoding.UTF8.GetBytes(line.EndsWith('\n') ? line : line + "\n");
        return EmitAsync(bytes, bytes.Length, stream, addNewline: false);
    }

    private async ValueTask EmitAsync(byte[] bytes, int length, LogStream stream, bool addNewline)
    {
        var before = Interlocked.Add(ref used, length) - length;
        if (before >= capBytes)
        {
            await TruncateAsync();
            return;
        }
        var allowed = length;
        var over = before + length > capBytes;
        if (over)
        {
            allowed = (int)(capBytes - before);
            var lineEnd = bytes.AsSpan(0, allowed).LastIndexOf((byte)'\n');
            allowed = lineEnd >= 0 ? lineEnd + 1 : CharBoundary(bytes, allowed);
            addNewline = lineEnd < 0 && allowed > 0;
        }
        if (allowed > 0)
        {
            var text = Encoding.UTF8.GetString(bytes, 0, allowed);
            await events.WriteAsync(BuildEventType.Log, stepId, addNewline ? text + "\n" : text, stream);
        }
        if (over)
        {
            await TruncateAsync();
        }
    }

    private async ValueTask TruncateAsync()
    {
        if (Interlocked.Exchange(ref truncated, 1) == 0)
        {
            await events.WriteAsync(BuildEventType.Log, stepId, $"log truncated after {capBytes} bytes\n", LogStream.Stderr);
        }
    }

    /// <summary>The largest cut at or before <paramref name="length"/> that does not split a UTF-8 character.</summary>
    private static int CharBoundary(byte[] bytes, int length)
    {
        var cut = length;
        while (cut > 0 && cut < bytes.Length && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--;
        }
        return cut == 0 ? length : cut;
    }
}
