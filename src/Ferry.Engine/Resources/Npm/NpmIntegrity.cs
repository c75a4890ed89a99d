using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Ferry.Engine.Resources.Npm;

/// <summary>
/// Checks a downloaded tarball against its manifest's <c>dist.integrity</c> (Subresource Integrity: <c>sha512-…</c>,
/// possibly several, the strongest wins) or, for packages published before npm 5, <c>dist.shasum</c> (hex SHA-1).
/// </summary>
internal static class NpmIntegrity
{
    private static readonly string[] Strongest = ["sha512", "sha384", "sha256", "sha1"];

    public static async Task VerifyAsync(string tarball, JsonObject manifest, string what, CancellationToken cancellation)
    {
        var dist = manifest["dist"] as JsonObject ?? [];
        var integrity = dist["integrity"] is JsonValue i && i.TryGetValue<string>(out var text) ? text : "";
        var hashes = integrity.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(h => h.Split('-', 2)).Where(p => p.Length == 2).Select(p => (Algorithm: p[0], Value: p[1].Split('?')[0])).ToList();
        foreach (var algorithm in Strongest)
        {
            var expected = hashes.Where(h => h.Algorithm == algorithm).Select(h => h.Value).ToList();
            if (expected.Count == 0)
                continue;
            var actual = Convert.ToBase64String(await HashAsync(tarball, algorithm, cancellation));
            if (!expected.Contains(actual, StringComparer.Ordinal))
                throw Mismatch(what, $"dist.integrity {algorithm}-{expected[0]}", $"{algorithm}-{actual}");
            return;
        }

        if (dist["shasum"] is JsonValue s && s.TryGetValue<string>(out var shasum) && shasum.Length > 0)
        {
            var actual = Convert.ToHexStringLower(await HashAsync(tarball, "sha1", cancellation));
            if (!string.Equals(actual, shasum, StringComparison.OrdinalIgnoreCase))
                throw Mismatch(what, $"dist.shasum {shasum}", actual);
            return;
        }
        throw ResourceException.Terminal($"{what}: the registry gives neither dist.integrity nor dist.shasum, so the tarball cannot be checked");
    }

    public static string Sha512(byte[] data) => "sha512-" + Convert.ToBase64String(SHA512.HashData(data));

    public static string Sha1Hex(byte[] data) => Convert.ToHexStringLower(SHA1.HashData(data));

    private static ResourceException Mismatch(string what, string expected, string actual) =>
        ResourceException.Terminal($"{what}: integrity mismatch: the registry's {expected}, the downloaded tarball's {actual} (corrupted or tampered with; nothing unpacked)");

    private static async Task<byte[]> HashAsync(string file, string algorithm, CancellationToken cancellation)
    {
        await using var stream = File.OpenRead(file);
        return algorithm switch
        {
            "sha512" => await SHA512.HashDataAsync(stream, cancellation),
            "sha384" => await SHA384.HashDataAsync(stream, cancellation),
            "sha256" => await SHA256.HashDataAsync(stream, cancellation),
            _ => await SHA1.HashDataAsync(stream, cancellation),
        };
    }
}
