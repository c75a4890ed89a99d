using System.Text;
using Ferry.Engine.Processes;

namespace Ferry.Engine.Containers;

/// <summary>The last bytes that went through a <see cref="TailStream"/>: podman's own error ends a container's stderr.</summary>
internal sealed class ByteTail(int capacity)
{
    private readonly Queue<byte> bytes = new(capacity);

    public string Text
    {
        get
        {
            lock (bytes)
            {
                return Encoding.UTF8.GetString([.. bytes]);
            }
        }
    }

    public void Add(ReadOnlySpan<byte> data)
    {
        lock (bytes)
        {
            foreach (var b in data.Length > capacity ? data[^capacity..] : data)
            {
                if (bytes.Count == capacity)
                    bytes.Dequeue();
                bytes.Enqueue(b);
            }
        }
    }
}

/// <summary>Reads through to another stream, keeping what passes in a <see cref="ByteTail"/>.</summary>
internal sealed class TailStream(Stream inner, ByteTail tail) : ReadOnlyStream
{
    public override bool CanRead => true;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        tail.Add(buffer.AsSpan(offset, read));
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        tail.Add(buffer.Span[..read]);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
