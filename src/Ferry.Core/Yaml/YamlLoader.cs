using System.Text;
using YamlDotNet.Core;

namespace Ferry.Core.Yaml;

/// <summary>Reads YAML into located nodes, guarding against files that are too big, binary or not UTF-8.</summary>
public static class YamlLoader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a file; every failure, including an I/O one, is a <see cref="YamlLoadException"/>.</summary>
    public static YamlDocument LoadFile(string path, YamlLimits? limits = null) =>
        Load(ReadText(path, limits), Path.GetFileName(path), limits);

    /// <summary>Reads a file as UTF-8 text, refusing files that are too big, binary or not UTF-8.</summary>
    public static string ReadText(string path, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        var name = Path.GetFileName(path);
        var start = new SourceLocation(name, 1, 1);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new YamlLoadException(new SourceLocation(name, 0, 0), $"file not found: {path}");
            }
            if (info.Length > limits.MaxFileBytes)
            {
                throw new YamlLoadException(start, TooBig(info.Length, limits));
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new YamlLoadException(new SourceLocation(name, 0, 0), $"cannot read {path}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new YamlLoadException(new SourceLocation(name, 0, 0), $"cannot read {path}: {e.Message}");
        }
        return DecodeText(bytes, name, limits);
    }

    public static YamlDocument LoadBytes(ReadOnlySpan<byte> bytes, string fileName, YamlLimits? limits = null) =>
        Load(DecodeText(bytes, fileName, limits), fileName, limits);

    /// <summary>Decodes strict UTF-8, refusing binary content with the place of the first bad byte.</summary>
    public static string DecodeText(ReadOnlySpan<byte> bytes, string fileName, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        if (bytes.Length > limits.MaxFileBytes)
        {
            throw new YamlLoadException(new SourceLocation(fileName, 1, 1), TooBig(bytes.Length, limits));
        }
        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
        {
            throw new YamlLoadException(LocateByte(bytes, nul, fileName), "binary content (a NUL byte): not a YAML text file");
        }
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new YamlLoadException(LocateByte(bytes, FirstInvalid(bytes), fileName), "invalid UTF-8: not a YAML text file");
        }
    }

    public static YamlDocument Load(string text, string fileName, YamlLimits? limits = null)
    {
        limits ??= YamlLimits.Default;
        EnsureSize(text, fileName, limits);
        var nul = text.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            var (line, column) = LineAndColumn(text.AsSpan(0, nul));
            throw new YamlLoadException(new SourceLocation(fileName, line, column), "binary content (a NUL byte): not a YAML text file");
        }
        try
        {
            return new YamlComposer(fileName, limits).Compose(new Parser(new StringReader(text)));
        }
        catch (YamlLoadException e) when (e.Reason.Contains("tab as indentation", StringComparison.Ordinal)
            && IndentingTab(text, e.Location) is { } tab)
        {
            // YamlDotNet places this error at the start of the mapping the tab breaks; point at the tab.
            throw new YamlLoadException(tab, e.Reason);
        }
    }

    private static SourceLocation? IndentingTab(string text, SourceLocation start)
    {
        var lines = text.Split('\n');
        for (var i = Math.Max(0, start.Line - 1); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0)
            {
                return start with { Line = i + 1, Column = tab + 1 };
            }
        }
        return null;
    }

    /// <summary>Refuses text over the size limit, before anything (placeholder rewriting included) walks it.</summary>
    internal static void EnsureSize(string text, string fileName, YamlLimits limits)
    {
        if (text.Length > limits.MaxFileBytes || (text.Length * 3L > limits.MaxFileBytes && Encoding.UTF8.GetByteCount(text) > limits.MaxFileBytes))
        {
            throw new YamlLoadException(new SourceLocation(fileName, 1, 1), TooBig(Encoding.UTF8.GetByteCount(text), limits));
        }
    }

    private static string TooBig(long length, YamlLimits limits) =>
        $"file is {length / (1024.0 * 1024.0):0.0} MB; the limit is {limits.MaxFileBytes / (1024.0 * 1024.0):0.#} MB";

    private static SourceLocation LocateByte(ReadOnlySpan<byte> bytes, int index, string fileName)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index && i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new SourceLocation(fileName, line, index - lineStart + 1);
    }

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(bytes, new char[bytes.Length], out var read, out _, replaceInvalidSequences: false);
        return status == System.Buffers.OperationStatus.Done ? 0 : read;
    }

    private static (int Line, int Column) LineAndColumn(ReadOnlySpan<char> before)
    {
        var line = 1 + before.Count('\n');
        var lastBreak = before.LastIndexOf('\n');
        return (line, before.Length - lastBreak);
    }
}
