using System.Globalization;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Cli;

/// <summary>
/// A one-line progress bar on a terminal, redrawn in place: the work's name, how much is done,
/// the rate and the time left. Drawn only once the work has taken longer than
/// <see cref="Delay"/> (quick work leaves the terminal as it was), then every
/// <see cref="Interval"/>, whether bytes move or not (a stalled download shows its falling
/// rate); a finished bar stays as the line's last state. Every time comes from the clock it is
/// given, so tests move time instead of waiting for it.
/// </summary>
internal sealed class TerminalProgress(TextWriter writer, TimeProvider clock) : IByteProgress
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>The one control sequence the tool writes (after a carriage return): erase to the end of the line.</summary>
    internal const string ClearToEndOfLine = "\x1b[K";

    /// <summary>At most this many characters of the name, so the line fits 80 columns.</summary>
    private const int LabelWidth = 24;

    private const int BarWidth = 10;

    private readonly Lock _lock = new();
    private string? _label;
    private long? _total;
    private long _done;
    private long _started;
    private long _drawn;
    private bool _shown;
    private ITimer? _timer;

    public void Begin(string label, long? totalBytes)
    {
        lock (_lock)
        {
            _label = label.Length > LabelWidth ? label[..(LabelWidth - 1)] + "…" : label;
            _total = totalBytes;
            _done = 0;
            _shown = false;
            _started = clock.GetTimestamp();
            _timer = clock.CreateTimer(_ => DrawIfDue(), null, Delay, Interval);
        }
    }

    public void Report(long doneBytes)
    {
        Volatile.Write(ref _done, doneBytes);
        if (clock.GetElapsedTime(Volatile.Read(ref _drawn)) >= Interval)
        {
            DrawIfDue();
        }
    }

    public void Note(string line)
    {
        lock (_lock)
        {
            writer.Write(_shown ? "\r" + ClearToEndOfLine + line + "\n" : line + "\n");
            if (_shown)
            {
                Draw();
            }

            writer.Flush();
        }
    }

    public void Finish()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
            if (_shown)
            {
                Draw();
                writer.Write('\n');
                writer.Flush();
            }

            _label = null;
            _shown = false;
        }
    }

    private void DrawIfDue()
    {
        lock (_lock)
        {
            if (_label is not null && clock.GetElapsedTime(_started) >= Delay && clock.GetElapsedTime(_drawn) >= Interval)
            {
                Draw();
                writer.Flush();
            }
        }
    }

    /// <summary>"name  42% [####      ] 168.0/400.0 MiB  31.5 MiB/s  0:08 left", over what was there.</summary>
    private void Draw()
    {
        long done = Volatile.Read(ref _done);
        double seconds = clock.GetElapsedTime(_started).TotalSeconds;
        double rate = seconds > 0 ? done / seconds : 0;
        string line;
        if (_total is > 0 and long total)
        {
            long shownDone = Math.Min(done, total);
            int percent = (int)(shownDone * 100 / total);
            int filled = (int)(shownDone * BarWidth / total);
            (double unit, string name) = Unit(total);
            string left = rate > 0 ? Duration((total - shownDone) / rate) + " left" : "";
            line = string.Create(CultureInfo.InvariantCulture,
                $"{_label,-LabelWidth} {percent,3}% [{new string('#', filled),-BarWidth}] {shownDone / unit:F1}/{total / unit:F1} {name}  {Size(rate)}/s  {left}");
        }
        else
        {
            line = string.Create(CultureInfo.InvariantCulture, $"{_label,-LabelWidth} {Size(done)}  {Size(rate)}/s");
        }

        writer.Write("\r" + line.TrimEnd() + ClearToEndOfLine);
        _shown = true;
        Volatile.Write(ref _drawn, clock.GetTimestamp());
    }

    private static (double Unit, string Name) Unit(double bytes) =>
        bytes >= 1 << 30 ? (1 << 30, "GiB") : bytes >= 1 << 20 ? (1 << 20, "MiB") : bytes >= 1 << 10 ? (1 << 10, "KiB") : (1, "B");

    private static string Size(double bytes)
    {
        (double unit, string name) = Unit(bytes);
        return string.Create(CultureInfo.InvariantCulture, $"{bytes / unit:F1} {name}");
    }

    /// <summary>"0:08", "12:34", "1:02:03".</summary>
    private static string Duration(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Min(Math.Ceiling(seconds), TimeSpan.FromDays(1).TotalSeconds));
        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:D2}:{span.Seconds:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}:{span.Seconds:D2}");
    }
}
