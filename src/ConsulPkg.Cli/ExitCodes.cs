using ConsulPkg.Debian;

namespace ConsulPkg.Cli;

/// <summary>The exit codes of <c>consul-pkg</c>; scripts may rely on them.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>
    /// The input could not be used: a <see cref="PackageException"/> of any kind (a malformed
    /// package, an invalid spec, a checksum mismatch, a failed download), a missing or unreadable file.
    /// </summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: unknown option, missing argument, an option value out of range.</summary>
    public const int Usage = 2;

    /// <summary>A bug in consul-pkg (EX_SOFTWARE): rerun with --verbose and report the stack trace.</summary>
    public const int InternalError = 70;

    /// <summary>A system library failed, not the input (EX_OSERR): a compression library could not allocate or refused a setting.</summary>
    public const int SystemError = 71;

    /// <summary>The exit code for an exception that ended a command; null for a bug.</summary>
    public static int? For(Exception exception) => exception switch
    {
        PackageException or IOException or UnauthorizedAccessException => Failure,
        CodecException => SystemError,
        _ => null,
    };
}
