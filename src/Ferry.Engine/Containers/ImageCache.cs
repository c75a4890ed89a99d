using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Containers;

/// <summary>
/// Images pulled once and cached by digest. Podman's storage keeps the layers; this remembers which image a
/// reference stood for, so tasks and checks do not ask the registry each time: a reference pinned by digest forever,
/// a tag for <c>maxAge</c> (Concourse re-checks an image at its check interval, one minute unless set). Pulls of one
/// reference at once are one pull.
/// </summary>
internal sealed class ImageCache(Podman podman, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The image, pulled unless cached.</summary>
    /// <exception cref="ImagePullException">The registry or podman refused; the message is theirs.</exception>
    public async Task<ImageFetch> GetAsync(ImageSource source, TimeSpan maxAge, CancellationToken cancellation)
    {
        var key = $"{source.Reference} {source.Username}";
        while (true)
        {
            var now = time.GetUtcNow();
            var candidate = new Entry(new Lazy<Task<(StoredImage, TimeSpan)>>(() => PullAsync(source)), now);
            var entry = _entries.GetOrAdd(key, candidate);
            var pull = entry.Pull.Value;
            var stale = source.Digest is null && now - entry.At >= maxAge;
            if (stale || pull.IsFaulted)
            {
                // The next caller pulls again: a tag may point elsewhere now, and a failure is never cached.
                _entries.TryRemove(KeyValuePair.Create(key, entry));
                continue;
            }
            try
            {
                // A pull is shared: one caller's abort does not stop it for the others.
                var (image, took) = await pull.WaitAsync(cancellation);
                return new ImageFetch(image, ReferenceEquals(entry, candidate) ? took : null);
            }
            catch when (pull.IsFaulted)
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
                throw;
            }
        }
    }

    private async Task<(StoredImage, TimeSpan)> PullAsync(ImageSource source)
    {
        var clock = Stopwatch.StartNew();
        string? authDirectory = null;
        try
        {
            if (source.Digest is not null && await InspectAsync(source.Reference) is { } held)
                return (held, clock.Elapsed); // pinned and already here: no registry needed
            var arguments = new List<string> { "pull", "--quiet", $"--tls-verify={(source.TlsVerify ? "true" : "false")}" };
            if (source.Username is not null)
            {
                // Credentials go in a file only podman reads, never on a command line that ps shows.
                authDirectory = Directory.CreateTempSubdirectory("ferry-auth-").FullName;
                var file = Path.Combine(authDirectory, "auth.json");
                File.WriteAllText(file, AuthFile(source), new UTF8Encoding(false));
                if (!OperatingSystem.IsWindows())
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                arguments.AddRange(["--authfile", file]);
            }
            arguments.Add(source.Reference);
            var pulled = await podman.CaptureAsync(arguments, CancellationToken.None);
            if (pulled.ExitCode != 0)
                throw new ImagePullException(source.Reference, Podman.ErrorText(pulled.StderrTail, pulled.ExitCode));
            var image = await InspectAsync(source.Reference)
                ?? throw new ImagePullException(source.Reference, "podman pulled it but does not find it by that name");
            return (image, clock.Elapsed);
        }
        finally
        {
            if (authDirectory is not null)
                Directory.Delete(authDirectory, recursive: true);
        }
    }

    private async Task<StoredImage?> InspectAsync(string reference)
    {
        var inspected = await podman.CaptureAsync(["image", "inspect", "--format", "{{.Id}} {{.Digest}}", reference], CancellationToken.None);
        var fields = inspected.Stdout.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return inspected.ExitCode == 0 && fields.Length > 0 ? new StoredImage(reference, fields[0], fields.ElementAtOrDefault(1) ?? "") : null;
    }

    private static string AuthFile(ImageSource source)
    {
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{source.Username}:{source.Password}"));
        return new JsonObject { ["auths"] = new JsonObject { [source.Host] = new JsonObject { ["auth"] = token } } }.ToJsonString();
    }

    private sealed record Entry(Lazy<Task<(StoredImage, TimeSpan)>> Pull, DateTimeOffset At);
}

/// <summary>An image ready to run; <see cref="PullTime"/> is how long this caller's pull took, null when it came from the cache.</summary>
public sealed record ImageFetch(StoredImage Image, TimeSpan? PullTime);

/// <summary>An image could not be pulled; <see cref="Exception.Message"/> carries the registry's own error.</summary>
public sealed class ImagePullException(string reference, string error) : Exception($"cannot pull image {reference}: {error}")
{
    public string Reference { get; } = reference;
}
