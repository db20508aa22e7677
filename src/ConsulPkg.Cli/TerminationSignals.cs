using System.Runtime.InteropServices;

namespace ConsulPkg.Cli;

/// <summary>
/// Turns the first SIGINT or SIGTERM into a cancellation instead of an abrupt exit, so that a
/// command can remove what it started (temporary files, a half-written package) and the process
/// still ends with the status a shell expects of a signal: 130 or 143. A second signal is left
/// to the runtime's default handling (immediate termination), for a user who insists.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _exitCode;

    public TerminationSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Handle(context, ExitCodes.Interrupted));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Handle(context, ExitCodes.Terminated));
    }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM (128 + the signal number); 0 before any.</summary>
    public int ExitCode => Volatile.Read(ref _exitCode);

    private void Handle(PosixSignalContext context, int exitCode)
    {
        if (Interlocked.CompareExchange(ref _exitCode, exitCode, 0) == 0)
        {
            context.Cancel = true;
            _cancellation.Cancel();
        }
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }
}
