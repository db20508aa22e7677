namespace ConsulPkg.Testing;

/// <summary>
/// The NUnit categories that select parts of the suite (<c>build/test.sh --filter ...</c>, see
/// docs/testing.md). A test outside all of them runs as any user, in seconds to minutes.
/// </summary>
public static class TestCategories
{
    /// <summary>Needs root: the debootstrapped Debian root (chroot, dpkg, apt, piuparts), or a file given to another user.</summary>
    public const string Install = "Install";

    /// <summary>Runs <c>dotnet publish</c>: the launcher's JIT build, the NativeAOT executable, build/release.sh.</summary>
    public const string Publish = "Publish";

    /// <summary>The mutation fuzzer of the reader commands: thousands of generated packages.</summary>
    public const string Fuzz = "Fuzz";

    /// <summary>piuparts' install/upgrade/purge runs (all also <see cref="Install"/>).</summary>
    public const string Piuparts = "Piuparts";
}
