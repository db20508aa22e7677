using System.Globalization;
using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// Renders what <c>dpkg-deb -I FILE</c> prints (dpkg src/deb/info.c): the format header, one line
/// per control item in byte order of names, then the control file with each line indented by one space.
/// </summary>
public static class InfoFormatter
{
    /// <summary>dpkg prints names and interpreters with "%.127s".</summary>
    private const int MaxShown = 127;

    /// <param name="output">Receives the listing.</param>
    /// <param name="formatVersion">The debian-binary version, e.g. (2, 0).</param>
    /// <param name="packageSize">Size of the whole .deb in bytes.</param>
    /// <param name="controlMemberSize">Size of the control.tar* ar member in bytes.</param>
    /// <param name="control">The unpacked control member.</param>
    public static void Write(Stream output, (int Major, int Minor) formatVersion, long packageSize, long controlMemberSize, ControlArchive control)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(control);
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $" new Debian package, version {formatVersion.Major}.{formatVersion.Minor}.\n");
        head.Append(CultureInfo.InvariantCulture, $" size {packageSize} bytes: control archive={controlMemberSize} bytes.\n");
        output.Write(Encoding.UTF8.GetBytes(head.ToString()));

        foreach (ControlMember member in control.Members)
        {
            byte[] name = Truncate(Encoding.UTF8.GetBytes(member.Name));
            if (member.Content is not { } content)
            {
                output.Write("     not a plain file          "u8);
                output.Write(name);
                output.Write("\n"u8);
                continue;
            }
            (byte[] interpreter, int lines) = Inspect(content);
            string prefix = string.Create(CultureInfo.InvariantCulture,
                $" {content.Length,7} bytes, {lines,5} lines   {(member.IsExecutable ? '*' : ' ')}  ");
            output.Write(Encoding.ASCII.GetBytes(prefix));
            output.Write(name);
            // dpkg 1.21 pads the name to 20 columns ("%-20.127s %.127s") even without an interpreter.
            for (int i = name.Length; i < 20; i++)
            {
                output.WriteByte((byte)' ');
            }
            output.WriteByte((byte)' ');
            output.Write(Truncate(interpreter));
            output.Write("\n"u8);
        }

        if (control.ControlFileBytes is { } controlFile)
        {
            WriteIndented(output, controlFile);
        }
    }

    /// <summary>Copies the control file, one space before each line, ending with a newline.</summary>
    private static void WriteIndented(Stream output, byte[] content)
    {
        bool atLineStart = true;
        foreach (byte c in content)
        {
            if (atLineStart)
            {
                output.WriteByte((byte)' ');
            }
            output.WriteByte(c);
            atLineStart = c == (byte)'\n';
        }
        if (!atLineStart)
        {
            output.WriteByte((byte)'\n');
        }
    }

    private static byte[] Truncate(byte[] bytes) => bytes.Length <= MaxShown ? bytes : bytes[..MaxShown];

    /// <summary>
    /// The "#!" interpreter and the newline count, with dpkg's exact quirks: the first one or two
    /// bytes are consumed while looking for "#!" and, if they are newlines, not counted.
    /// </summary>
    internal static (byte[] Interpreter, int Lines) Inspect(ReadOnlySpan<byte> content)
    {
        int pos = 0;
        int lines = 0;
        var interpreter = new List<byte>();
        int Next(ReadOnlySpan<byte> data) => pos < data.Length ? data[pos++] : -1;

        if (Next(content) == '#' && Next(content) == '!')
        {
            int c;
            while ((c = Next(content)) == ' ')
            {
            }
            interpreter.Add((byte)'#');
            interpreter.Add((byte)'!');
            while (interpreter.Count < 210 && c != -1 && !IsCSpace(c))
            {
                interpreter.Add((byte)c);
                c = Next(content);
            }
            if (c == '\n')
            {
                lines++;
            }
        }
        for (; pos < content.Length; pos++)
        {
            if (content[pos] == (byte)'\n')
            {
                lines++;
            }
        }
        return (interpreter.ToArray(), lines);
    }

    private static bool IsCSpace(int c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}
