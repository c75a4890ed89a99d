using System.Security.Cryptography;
using System.Text;

namespace Ferry.Storage.Keys;

/// <summary>
/// The key every server node is given (<c>--master-key-file</c>, or <c>FERRY_MASTER_KEY</c>): 32 random bytes in base64.
/// It never reaches the database; it wraps the key material that does (the secrets key, the UI's data-protection keys),
/// so nodes that share a database share those keys, and a copy of the database alone opens nothing.
/// </summary>
public sealed class MasterKey
{
    public const string EnvironmentVariable = "FERRY_MASTER_KEY";
    private const string Prefix = "mk1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    private MasterKey(byte[] key, string source)
    {
        _key = key;
        Source = source;
    }

    /// <summary>Where the key came from ("the file /etc/ferry/master.key", "FERRY_MASTER_KEY"), for errors.</summary>
    public string Source { get; }

    /// <summary>A short, non-secret fingerprint (the first bytes of its SHA-256), to tell keys apart in messages.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(_key))[..12];

    public static MasterKey FromFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException($"reading the master key file {path}: {e.Message}", e);
        }
        return Parse(text, $"the master key file {path}");
    }

    public static MasterKey Parse(string text, string source)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw new StoreException($"{source}: expected 32 random bytes in base64 (make one with `head -c 32 /dev/urandom | base64`)");
        }
        return key.Length == 32
            ? new MasterKey(key, source)
            : throw new StoreException($"{source}: expected 32 bytes in base64, found {key.Length} (make one with `head -c 32 /dev/urandom | base64`)");
    }

    /// <summary>Seals <paramref name="plain"/> for the key ring entry <paramref name="name"/> (the name is authenticated).</summary>
    public string Wrap(byte[] plain, string name)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var output = new byte[NonceSize + TagSize + plain.Length];
        using (var aes = new AesGcm(_key, TagSize))
            aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(name));
        nonce.CopyTo(output, 0);
        return Prefix + Convert.ToBase64String(output);
    }

    public byte[] Unwrap(string wrapped, string name)
    {
        byte[] data;
        try
        {
            data = wrapped.StartsWith(Prefix, StringComparison.Ordinal) ? Convert.FromBase64String(wrapped[Prefix.Length..]) : [];
        }
        catch (FormatException)
        {
            data = [];
        }
        if (data.Length < NonceSize + TagSize)
            throw new StoreException($"reading the key ring entry '{name}': it is not a wrapped key");
        var plain = new byte[data.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize + TagSize), data.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(name));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new StoreException(
                $"reading the key ring entry '{name}': it does not open with the master key from {Source} (fingerprint {Fingerprint}); " +
                "every node needs the same master key, and after `ferry keys rotate` the new one", e);
        }
        return plain;
    }
}
