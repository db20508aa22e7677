using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ConsulPkg.Testing;

/// <summary>A program started by <see cref="ProcessRunner.Start"/>, its output being collected.</summary>
public sealed partial class RunningProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<byte[]> _stdout;
    private readonly Task<string> _stderr;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    internal RunningProcess(ProcessStartInfo info, byte[]? stdin)
    {
        CommandLine = string.Join(' ', info.ArgumentList.Prepend(info.FileName).Select(Quote));
        _process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {CommandLine}");
        _stderr = _process.StandardError.ReadToEndAsync();
        _stdout = ReadAllAsync(_process.StandardOutput.BaseStream);
        try
        {
            if (stdin is not null)
            {
                _process.StandardInput.BaseStream.Write(stdin);
            }

            // Closed in every case: a tool that reads stdin unexpectedly fails instead of hanging.
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The program ended, or closed its input, without reading all of it (dpkg-deb -R - refuses
            // standard input unread): what it did with what it read is the result.
        }
    }

    public string CommandLine { get; }

    public int Id => _process.Id;

    /// <summary>Sends <paramref name="signal"/> (2 SIGINT, 9 SIGKILL, 15 SIGTERM, ...) to the process.</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    /// <summary>
    /// Waits for the process to end and returns what it printed. After <paramref name="timeout"/>
    /// (default <see cref="ProcessRunner.DefaultTimeout"/>) the whole process tree is killed and a
    /// <see cref="TimeoutException"/> carries its output so far.
    /// </summary>
    public ProcessResult Finish(TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? ProcessRunner.DefaultTimeout;
        if (!_process.WaitForExit(limit))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            throw new TimeoutException(
                $"{CommandLine} did not finish within {limit.TotalSeconds:F0} s and was killed\n"
                + $"--- stdout ---\n{System.Text.Encoding.UTF8.GetString(_stdout.Result)}--- stderr ---\n{_stderr.Result}");
        }

        // The parameterless wait also waits for the redirected streams to reach their end.
        _process.WaitForExit();
        return new ProcessResult(_process.ExitCode, _stdout.Result, _stderr.Result) { CommandLine = CommandLine, Elapsed = _clock.Elapsed };
    }

    /// <summary>Kills a process the test did not finish (a failed assertion before <see cref="Finish"/>).</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:+,@%".Contains(c, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
