using ConsulPkg.Debian.IO;

namespace ConsulPkg.Cli;

/// <summary>
/// The one place the process's standard output and error are opened: write(2) on descriptors 1
/// and 2 (<see cref="HostFiles.OpenStandardOutput"/>), never System.Console's streams or writers.
/// The runtime's first write through those sets the terminal up for reading keys: when standard
/// output or input is a terminal, it writes terminfo's keypad_xmit there (ESC[?1h ESC= on an
/// xterm), which puts the user's terminal in application cursor mode after the tool has exited
/// and lands in every log taken through a pseudo-terminal. The tool reads no keys, so it writes
/// no control sequence but its progress bar's (<see cref="TerminalProgress"/>).
/// </summary>
internal static class StandardStreams
{
    public static TextWriter CreateOutputWriter() => Writer(HostFiles.OpenStandardOutput());

    public static TextWriter CreateErrorWriter() => Writer(HostFiles.OpenStandardError());

    /// <summary>
    /// What Console.Out and Console.Error are: text in the locale's encoding (UTF-8 unless the
    /// locale names another; no byte-order mark), every write passed on at once, safe to share
    /// between threads (the progress bar draws from a timer).
    /// </summary>
    private static TextWriter Writer(Stream stream) =>
        TextWriter.Synchronized(new StreamWriter(stream, Console.OutputEncoding) { AutoFlush = true });
}
