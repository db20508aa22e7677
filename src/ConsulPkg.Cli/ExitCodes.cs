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

    /// <summary>Stopped by SIGINT (128 + 2), after removing what the command had started.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM (128 + 15), after removing what the command had started.</summary>
    public const int Terminated = 143;

    /// <summary>A bug in consul-pkg (EX_SOFTWARE): rerun with --verbose and report the stack trace.</summary>
    public const int InternalError = 70;

    /// <summary>A system library failed, not the input (EX_OSERR): a compression library could not allocate or refused a setting.</summary>
    public const int SystemError = 71;

    /// <summary>
    /// The exception types that end a command with <see cref="Failure"/> or <see cref="SystemError"/>.
    /// The nearest listed type in an exception's ancestry decides (<see cref="For(Exception)"/>),
    /// so the order here does not matter and a listed type is never hidden by a listed base type:
    /// were <see cref="CodecException"/> one day a <see cref="PackageException"/>, it would still exit 71.
    /// </summary>
    private static readonly Dictionary<Type, int> ByType = new()
    {
        // The input: a malformed package, an invalid spec, a checksum mismatch, a failed download.
        [typeof(PackageException)] = Failure,

        // A missing or unreadable file.
        [typeof(IOException)] = Failure,
        [typeof(UnauthorizedAccessException)] = Failure,

        // A compression library, not the input.
        [typeof(CodecException)] = SystemError,
    };

    /// <summary>The exit code for an exception that ended a command: its type's, or <see cref="InternalError"/> for a bug.</summary>
    public static int For(Exception exception) => For(exception, ByType);

    /// <summary>The code of the nearest type in <paramref name="exception"/>'s ancestry that <paramref name="codes"/> lists, else <see cref="InternalError"/>.</summary>
    internal static int For(Exception exception, IReadOnlyDictionary<Type, int> codes)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(codes);
        for (Type? type = exception.GetType(); type is not null; type = type.BaseType)
        {
            if (codes.TryGetValue(type, out int code))
            {
                return code;
            }
        }

        return InternalError;
    }
}
