using System.Text;
using System.Text.RegularExpressions;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Repository;

/// <summary>A secret a package carries: where, and what kind (never the secret itself).</summary>
/// <param name="File">The file holding it: a path on the target system, or "control member NAME".</param>
/// <param name="What">"a gossip key (encrypt)", "a private key (RSA PRIVATE KEY)".</param>
public sealed record PackageSecret(string PackagePath, string File, string What);

/// <summary>
/// Looks through every file of a package, control member and data, for what must never be
/// served to whoever can fetch from a repository: a Consul gossip key (an <c>encrypt</c> value,
/// in JSON or HCL, that decodes to 16, 24 or 32 bytes) or a private key block (PEM's
/// <c>-----BEGIN ... PRIVATE KEY-----</c> or OpenPGP's <c>PRIVATE KEY BLOCK</c>, with its END line).
/// </summary>
/// <remarks>
/// Text of up to <see cref="WholeFileBytes"/> is searched for keys in configurations and
/// scripts; every file, binaries included, is searched for key blocks in a window that moves
/// through it, so memory stays bounded. Binary (unarmored) OpenPGP secret keys are not looked for.
/// </remarks>
public static partial class SecretScan
{
    /// <summary>Files up to this size are read whole and searched for gossip keys too (configs and scripts are far smaller).</summary>
    internal const int WholeFileBytes = 1 << 20;

    /// <summary>The longest key block looked for: an RSA-16384 key in PEM is about 12 KiB.</summary>
    private const int MaxBlockBytes = 64 << 10;

    private static ReadOnlySpan<byte> BeginMarker => "-----BEGIN "u8;

    /// <summary>The first secret in the package at <paramref name="packagePath"/>, or null when it carries none.</summary>
    public static PackageSecret? Find(string packagePath)
    {
        using DebPackageReader reader = DebPackageReader.Open(packagePath, keepControlFiles: true);
        foreach (ControlMember member in reader.Control.Members)
        {
            ReadOnlyMemory<byte>? content = member.Name == "control" && reader.Control.ControlFileBytes is { } control ? control : member.Content;
            if (content is { } bytes && InspectWhole(bytes.Span) is { } what)
            {
                return new PackageSecret(packagePath, $"control member {member.Name}", what);
            }
        }

        foreach (TarEntry entry in reader.ReadDataEntries())
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.ContiguousFile))
            {
                continue;
            }

            using Stream data = entry.OpenData();
            if (Inspect(data, entry.Size) is { } what)
            {
                return new PackageSecret(packagePath, "/" + entry.Name.TrimStart('.', '/'), what);
            }
        }

        return null;
    }

    /// <summary>What secret the file's content holds, or null.</summary>
    internal static string? Inspect(Stream data, long size)
    {
        if (size <= WholeFileBytes)
        {
            byte[] whole = new byte[size];
            data.ReadExactly(whole);
            return InspectWhole(whole);
        }

        // A window of Chunk bytes plus the longest block, moved through the file: a block that
        // starts in one window is judged whole in it.
        const int Chunk = 1 << 20;
        byte[] buffer = new byte[Chunk + MaxBlockBytes];
        int length = 0;
        bool end = false;
        while (true)
        {
            while (!end && length < buffer.Length)
            {
                int n = data.Read(buffer, length, buffer.Length - length);
                end = n == 0;
                length += n;
            }

            int limit = end ? length : length - MaxBlockBytes;
            if (FindKeyBlock(buffer.AsSpan(0, length), limit) is { } label)
            {
                return $"a private key ({label})";
            }

            if (end)
            {
                return null;
            }

            Buffer.BlockCopy(buffer, limit, buffer, 0, length - limit);
            length -= limit;
        }
    }

    internal static string? InspectWhole(ReadOnlySpan<byte> content)
    {
        if (FindKeyBlock(content, content.Length) is { } label)
        {
            return $"a private key ({label})";
        }

        // Latin-1 maps each byte to one character: any file reads, and the key's ASCII stays ASCII.
        string text = Encoding.Latin1.GetString(content);
        foreach (Regex form in (Regex[])[JsonEncrypt(), HclEncrypt()])
        {
            foreach (Match match in form.Matches(text))
            {
                if (IsGossipKey(match.Groups["key"].Value))
                {
                    return "a gossip key (encrypt)";
                }
            }
        }

        return null;
    }

    /// <summary>The label of the first complete key block starting before <paramref name="limit"/>.</summary>
    private static string? FindKeyBlock(ReadOnlySpan<byte> content, int limit)
    {
        int offset = 0;
        while (offset < limit)
        {
            // A marker starting before the limit may end after it.
            int found = content[offset..Math.Min(content.Length, limit + BeginMarker.Length - 1)].IndexOf(BeginMarker);
            if (found < 0)
            {
                return null;
            }

            int start = offset + found;
            ReadOnlySpan<byte> window = content[start..Math.Min(content.Length, start + MaxBlockBytes)];
            if (KeyBlock(window) is { } label)
            {
                return label;
            }

            offset = start + BeginMarker.Length;
        }

        return null;
    }

    /// <summary>
    /// The label when <paramref name="window"/> starts with a whole private key block: BEGIN
    /// line, lines of printable ASCII (armor headers, base64, a checksum), the matching END line.
    /// </summary>
    private static string? KeyBlock(ReadOnlySpan<byte> window)
    {
        int lineEnd = window.IndexOf((byte)'\n');
        if (lineEnd < 0)
        {
            return null;
        }

        Match begin = BeginLine().Match(Encoding.Latin1.GetString(window[..lineEnd]).TrimEnd('\r'));
        if (!begin.Success)
        {
            return null;
        }

        string label = begin.Groups["label"].Value;
        byte[] endLine = Encoding.ASCII.GetBytes($"-----END {label}-----");
        ReadOnlySpan<byte> body = window[(lineEnd + 1)..];
        int endAt = body.IndexOf(endLine);
        if (endAt < 20)
        {
            return null;
        }

        foreach (byte b in body[..endAt])
        {
            if (b is not ((>= 0x20 and <= 0x7E) or (byte)'\n' or (byte)'\r'))
            {
                return null;
            }
        }

        return label;
    }

    private static bool IsGossipKey(string text)
    {
        Span<byte> bytes = stackalloc byte[48];
        return Convert.TryFromBase64String(text, bytes, out int length) && length is 16 or 24 or 32;
    }

    [GeneratedRegex(@"^-----BEGIN (?<label>(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----$", RegexOptions.CultureInvariant)]
    private static partial Regex BeginLine();

    [GeneratedRegex("\"encrypt\"\\s*:\\s*\"(?<key>[A-Za-z0-9+/=]{16,64})\"", RegexOptions.CultureInvariant)]
    private static partial Regex JsonEncrypt();

    [GeneratedRegex("(?m)^\\s*\"?encrypt\"?\\s*=\\s*\"(?<key>[A-Za-z0-9+/=]{16,64})\"", RegexOptions.CultureInvariant)]
    private static partial Regex HclEncrypt();
}
