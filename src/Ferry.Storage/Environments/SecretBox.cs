using System.Security.Cryptography;
using System.Text;

namespace Ferry.Storage.Environments;

/// <summary>
/// Encrypts secret variable values at rest with AES-256-GCM. The key is a file in the data directory, created on first
/// use (mode 0600), so a copy of the database alone reveals no secret; or, when the store was opened with a master key,
/// the key ring's entry every node shares (<see cref="UseKey"/>). The context (environment and key name) is
/// authenticated, so a ciphertext moved to another variable does not open.
/// </summary>
internal sealed class SecretBox(string dataDirectory)
{
    public const string KeyFileName = "secrets.key";
    private const string Prefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Lock _gate = new();
    private byte[]? _key;
    private string? _keyDescription;

    /// <summary>Whether <paramref name="text"/> is a value <see cref="Seal"/> made (JSON and plain text never start so).</summary>
    public static bool IsSealed(string text) => text.StartsWith(Prefix, StringComparison.Ordinal);

    public string KeyPath { get; } = Path.Combine(Path.GetFullPath(string.IsNullOrWhiteSpace(dataDirectory) ? ".ferry" : dataDirectory), KeyFileName);

    public string Seal(string plaintext, string context)
    {
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + TagSize + plain.Length];
        using (var aes = new AesGcm(Key(), TagSize))
        {
            aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        }
        nonce.CopyTo(output, 0);
        return Prefix + Convert.ToBase64String(output);
    }

    public string Open(string sealedText, string context)
    {
        if (!sealedText.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new StoreException($"reading secret {context}: the stored value is not a sealed secret");
        }
        var data = Convert.FromBase64String(sealedText[Prefix.Length..]);
        var plain = new byte[data.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(Key(), TagSize);
            aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize + TagSize), data.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new StoreException($"reading secret {context}: it does not open with {KeyDescription} (another key, or the value was altered)", e);
        }
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>What the key is, for errors: the file, or the key ring.</summary>
    public string KeyDescription => _keyDescription ?? $"the key {KeyPath}";

    /// <summary>Seals and opens with <paramref name="key"/> (the key ring's) from now on instead of the data directory's file.</summary>
    public void UseKey(byte[] key, string description)
    {
        if (key.Length != 32)
            throw new StoreException($"{description}: expected 32 bytes, found {key.Length}");
        lock (_gate)
        {
            _key = key;
            _keyDescription = description;
        }
    }

    /// <summary>The data directory's key file as it is, or null when there is none (nothing is created).</summary>
    public byte[]? ReadFileKey() => File.Exists(KeyPath) ? ReadKeyFile() : null;

    private byte[] Key()
    {
        lock (_gate)
        {
            return _key ??= LoadOrCreate();
        }
    }

    private byte[] LoadOrCreate()
    {
        if (!File.Exists(KeyPath))
        {
            DataFiles.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
            var temporary = KeyPath + "." + Guid.NewGuid().ToString("N")[..8];
            // 0600 from the start: the key is never readable by others, not even between write and chmod.
            DataFiles.CreatePrivateFile(temporary);
            File.WriteAllText(temporary, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            try
            {
                // Two processes starting on one data directory: the first key wins, the other reads it.
                File.Move(temporary, KeyPath, overwrite: false);
            }
            catch (IOException) when (File.Exists(KeyPath))
            {
                File.Delete(temporary);
            }
        }
        return ReadKeyFile();
    }

    private byte[] ReadKeyFile()
    {
        var key = Convert.FromBase64String(File.ReadAllText(KeyPath).Trim());
        return key.Length == 32 ? key : throw new StoreException($"reading the secrets key {KeyPath}: expected 32 bytes in base64, found {key.Length}");
    }
}
