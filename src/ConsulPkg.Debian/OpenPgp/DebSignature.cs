using ConsulPkg.Debian.Reading;

namespace ConsulPkg.Debian.OpenPgp;

/// <summary>
/// A package's debsigs signature: an <c>_gpgorigin</c> member after data.tar holding the binary
/// detached OpenPGP signature of the concatenated contents of debian-binary, control.tar and
/// data.tar, as <c>debsigs --sign=origin</c> writes it and debsig-verify checks it. dpkg ignores
/// the member; the signature names who made the package, whatever repository it came through.
/// </summary>
public static class DebSignature
{
    /// <summary>The member debsigs writes for an origin signature.</summary>
    public const string MemberName = "_gpgorigin";

    /// <summary>The members a signature covers, in the order they are signed (the package's first three).</summary>
    internal static bool IsSignedMember(string name, int index) => index switch
    {
        0 => name == "debian-binary",
        1 => name.StartsWith("control.tar", StringComparison.Ordinal),
        2 => name.StartsWith("data.tar", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>
    /// The good origin signature of the package at <paramref name="path"/> by a key
    /// <paramref name="verifier"/> trusts; throws a <see cref="PackageException"/> saying why not
    /// (unsigned, altered, an untrusted key, or a key the policy refuses).
    /// </summary>
    public static GoodSignature Verify(string path, SignatureVerifier verifier, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(verifier);
        string name = Path.GetFileName(path);
        using FileStream file = File.OpenRead(path);
        var ar = new ArReader(file, name);
        // The signature comes last, so the signed members are noted by position and read again
        // once it is known: never held in memory, whatever their size.
        var signed = new List<(long Offset, long Size)>();
        byte[]? signature = null;
        int index = 0;
        while (ar.ReadNextMember() is { } member)
        {
            if (index < 3)
            {
                if (!IsSignedMember(member.Name, index))
                {
                    throw new InvalidPackageException($"{name} is not a Debian package a signature could cover: member {index + 1} is '{member.Name}'");
                }

                signed.Add((ar.BytesConsumed - member.Size - (member.Size % 2), member.Size));
            }
            else if (member.Name == MemberName)
            {
                using var buffer = new MemoryStream();
                member.Data.CopyTo(buffer);
                signature = buffer.ToArray();
            }

            member.Data.CopyTo(Stream.Null);
            index++;
        }

        if (signature is null)
        {
            throw new PackageException($"{name} is not signed: it has no {MemberName} member (sign it with the signing-key setting, or debsigs --sign=origin)");
        }

        file.Position = 0;
        return verifier.VerifyDetached(Parts(file, signed, name), signature, name, $"{name}'s {MemberName}", now);
    }

    private static IEnumerable<Stream> Parts(FileStream file, List<(long Offset, long Size)> members, string name)
    {
        foreach ((long offset, long size) in members)
        {
            file.Position = offset;
            yield return new BoundedReadStream(file, size, $"{name} ended inside a member");
        }
    }
}
