using System.Runtime.InteropServices;

namespace ConsulPkg.Fpm;

/// <summary>Debian architecture names for .NET's and uname's spellings.</summary>
public static class DebianArchitecture
{
    /// <summary>The Debian name of <paramref name="architecture"/>, or null when Debian has none.</summary>
    public static string? FromRuntime(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "i386",
        Architecture.Arm => "armhf",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64el",
        Architecture.LoongArch64 => "loong64",
        Architecture.RiscV64 => "riscv64",
        _ => null,
    };

    /// <summary>
    /// What fpm writes for an <c>--architecture</c> value: <c>native</c> is the host, uname and
    /// rpm names become Debian's (x86_64 → amd64, aarch64 → arm64, noarch → all, ppc64le → ppc64el).
    /// </summary>
    public static string Resolve(string? requested, string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return requested switch
        {
            null or "" or "native" => host,
            "x86_64" => "amd64",
            "aarch64" => "arm64",
            "noarch" => "all",
            "ppc64le" => "ppc64el",
            _ => requested,
        };
    }
}
