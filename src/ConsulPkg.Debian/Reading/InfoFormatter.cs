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
        WriteArea(output, control);
    }

    /// <summary>The same for a package in the old format 0.939000, whose header also gives the data member's size.</summary>
    public static void WriteOldFormat(Stream output, (int Major, int Minor) formatVersion, long packageSize, long controlMemberSize, long dataMemberSize, ControlArchive control)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(control);
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $" old Debian package, version {formatVersion.Major}.{formatVersion.Minor}.\n");
        head.Append(CultureInfo.InvariantCulture, $" size {packageSize} bytes: control archive={controlMemberSize}, main archive={dataMemberSize}.\n");
        output.Write(Encoding.UTF8.GetBytes(head.ToString()));
        WriteArea(output, control);
    }

    private static void WriteArea(Stream output, ControlArchive control)
    {
        foreach (ControlMember member in control.Members)
        {
            byte[] name = Truncate(Encoding.Latin1.GetBytes(member.Name));
            if (member.Stats is not { } stats)
            {
                output.Write("     not a plain file          "u8);
                output.Write(name);
                output.Write("\n"u8);
                continue;
            }
            string prefix = string.Create(CultureInfo.InvariantCulture,
                $" {stats.Size,7} bytes, {stats.Lines,5} lines   {(member.IsExecutable ? '*' : ' ')}  ");
            output.Write(Encoding.ASCII.GetBytes(prefix));
            output.Write(name);
            // dpkg 1.21 pads the name to 20 columns ("%-20.127s %.127s") even without an interpreter.
            for (int i = name.Length; i < 20; i++)
            {
                output.WriteByte((byte)' ');
            }
            output.WriteByte((byte)' ');
            output.Write(Truncate(stats.Interpreter));
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
}
