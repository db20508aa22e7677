using System.Globalization;
using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// A version as dpkg reads it from a control file (lib/dpkg/parsehelp.c <c>parseversion</c>):
/// laxer in what it holds than <see cref="DebianVersion"/> (a package already built may carry any
/// of these), exact in how it prints (<c>varbufversion</c>). Text is one character per byte.
/// </summary>
internal readonly record struct DpkgVersion(int Epoch, string? Upstream, string? Revision)
{
    /// <summary>dpkg_version_is_informative: anything set at all.</summary>
    public bool IsInformative => Epoch != 0 || !string.IsNullOrEmpty(Upstream) || !string.IsNullOrEmpty(Revision);

    /// <summary>
    /// Parses like parseversion: null and the version on success, else the problem. dpkg calls
    /// some problems warnings, but a binary control file is read strictly, where every problem
    /// is an error, so the distinction does not matter here.
    /// </summary>
    public static string? TryParse(string text, out DpkgVersion version)
    {
        version = default;
        int start = 0;
        while (start < text.Length && DpkgText.IsBlank(text[start]))
        {
            start++;
        }
        if (start == text.Length)
        {
            return "version string is empty";
        }
        int end = start;
        while (end < text.Length && !DpkgText.IsBlank(text[end]))
        {
            end++;
        }
        for (int i = end; i < text.Length; i++)
        {
            if (!DpkgText.IsBlank(text[i]))
            {
                return "version string has embedded spaces";
            }
        }
        string word = text[start..end];
        int epoch = 0;
        int colon = word.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            // strtol: optional blanks and sign, then digits, which must end exactly at the colon.
            int digitsEnd = DpkgText.Strtol(word, 10, out long value, out bool overflow);
            if (digitsEnd == 0)
            {
                return "epoch in version is empty";
            }
            if (digitsEnd != colon)
            {
                return "epoch in version is not number";
            }
            if (value < 0)
            {
                return "epoch in version is negative";
            }
            if (value > int.MaxValue || overflow)
            {
                return "epoch in version is too big";
            }
            if (colon + 1 == word.Length)
            {
                return "nothing after colon in version number";
            }
            epoch = (int)value;
            word = word[(colon + 1)..];
        }
        string upstream = word;
        string revision = "";
        int hyphen = word.LastIndexOf('-');
        if (hyphen >= 0)
        {
            upstream = word[..hyphen];
            revision = word[(hyphen + 1)..];
            if (revision.Length == 0)
            {
                version = new DpkgVersion(epoch, upstream, revision);
                return "revision number is empty";
            }
        }
        version = new DpkgVersion(epoch, upstream, revision);
        if (upstream.Length == 0)
        {
            return "version number is empty";
        }
        if (!char.IsAsciiDigit(upstream[0]))
        {
            return "version number does not start with digit";
        }
        foreach (char c in upstream.AsSpan(1))
        {
            if (!char.IsAsciiLetterOrDigit(c) && ".-+~:".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return "invalid character in version number";
            }
        }
        foreach (char c in revision)
        {
            if (!char.IsAsciiLetterOrDigit(c) && ".+~".IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return "invalid character in revision number";
            }
        }
        return null;
    }

    /// <summary>varbufversion with vdew_nonambig: the epoch when not zero, or when a colon elsewhere would make it ambiguous.</summary>
    public override string ToString() => Describe(showEpoch: null);

    /// <summary>varbufversion with vdew_never (how dpkg-deb names a built package's file).</summary>
    public string WithoutEpoch() => Describe(showEpoch: false);

    private string Describe(bool? showEpoch)
    {
        var text = new StringBuilder();
        bool epoch = showEpoch ?? (Epoch != 0 || (Upstream?.Contains(':', StringComparison.Ordinal) ?? false)
            || (Revision?.Contains(':', StringComparison.Ordinal) ?? false));
        if (epoch)
        {
            text.Append(((uint)Epoch).ToString(CultureInfo.InvariantCulture)).Append(':');
        }
        text.Append(Upstream);
        if (!string.IsNullOrEmpty(Revision))
        {
            text.Append('-').Append(Revision);
        }
        return text.ToString();
    }
}
