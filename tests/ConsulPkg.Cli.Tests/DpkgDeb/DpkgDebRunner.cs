using System.Text;

using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.DpkgDeb;

/// <summary>What one run printed and how it ended.</summary>
internal sealed record Outcome(int ExitCode, byte[] Stdout, string Stderr)
{
    public int StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    public override string ToString() => $"exit {ExitCode}, {Stdout.Length} bytes out, stderr: {Stderr.Trim()}";
}

/// <summary>
/// Runs a dpkg-deb command line twice: with the real dpkg-deb, and with ours in-process (the
/// same code path as the executable, the bytes of standard output captured exactly). Both run
/// in the same directory, under UTC and a UTF-8 C locale, as the same (root) user; standard
/// input, when given, is a pipe for both.
/// </summary>
internal static class DpkgDebRunner
{
    public const long Epoch = 1_700_000_000;

    public static readonly Dictionary<string, string?> Environment = new()
    {
        ["TZ"] = "UTC",
        ["LC_ALL"] = "C.UTF-8",
        ["LANG"] = null,
        ["SOURCE_DATE_EPOCH"] = Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["DPKG_DEB_THREADS_MAX"] = null,
        ["DPKG_DEB_COMPRESSOR_TYPE"] = null,
        ["DPKG_DEB_COMPRESSOR_LEVEL"] = null,
    };

    public static Outcome Theirs(string directory, IReadOnlyList<string> args, byte[]? stdin = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ProcessResult result = ProcessRunner.Run("dpkg-deb", args, directory, Merge(environment), stdin);
        return new Outcome(result.ExitCode, result.StdOutBytes, result.StdErr);
    }

    public static Outcome Ours(string directory, IReadOnlyList<string> args, byte[]? stdin = null, IReadOnlyDictionary<string, string?>? environment = null)
        => Native(directory, ["dpkg-deb", .. args], stdin, environment);

    /// <summary>Any consul-pkg command line in-process, with the environment and standard streams <see cref="Ours"/> uses.</summary>
    public static Outcome Native(string directory, IReadOnlyList<string> args, byte[]? stdin = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        Dictionary<string, string?> variables = Merge(environment);
        using var output = new MemoryStream();
        using var error = new StringWriter();
        CliContext context = CliRunner.Context(directory) with
        {
            GetEnvironmentVariable = name => variables.GetValueOrDefault(name),
            IsPrivileged = System.Environment.IsPrivilegedProcess,
            OpenStandardOutput = () => new KeepOpen(output),
            OpenStandardInput = stdin is null ? null : () => (new PipeLike(stdin), 0),
            Umask = () => 0x12,
        };
        int exit = CliApplication.RunAsync([.. args], context, TextWriter.Null, error).GetAwaiter().GetResult();
        return new Outcome(exit, output.ToArray(), error.ToString());
    }

    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?>? extra)
    {
        var all = new Dictionary<string, string?>(Environment);
        foreach ((string name, string? value) in extra ?? new Dictionary<string, string?>())
        {
            all[name] = value;
        }
        return all;
    }

    /// <summary>
    /// find(1)'s view of a tree: name, type, mode, owner, size, mtime, link target and content
    /// digest, names escaped byte for byte (.NET cannot name what is not UTF-8).
    /// </summary>
    /// <param name="now">Times from this one on were set by the clock, not the package: shown as "now".</param>
    public static string DescribeTree(string root, long now = long.MaxValue)
    {
        if (!Directory.Exists(root))
        {
            return "(no tree)";
        }
        byte[] attributes = ProcessRunner.Run("find", [".", "-printf", "%p %y %m %u:%g %s %T@ %n -> %l\\n"], workingDirectory: root).EnsureSuccess().StdOutBytes;
        byte[] digests = ProcessRunner.Run("sh", ["-c", "find . -type f -print0 | xargs -0 -r md5sum"], workingDirectory: root).EnsureSuccess().StdOutBytes;
        byte[] listing = [.. attributes, .. digests];
        var text = new StringBuilder();
        foreach (byte b in listing)
        {
            text.Append(b < 0x80 ? ((char)b).ToString() : $"\\{Convert.ToString(b, 8)}");
        }
        // A directory's size depends on the file system's allocation; its entries are listed anyway.
        return string.Join('\n', text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"^(\S+ d \S+ \S+) \d+ ", "$1 - "))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @" (\d{9,})\.\d+ ", m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= now ? " now " : m.Value))
            .Order(StringComparer.Ordinal));
    }

    /// <summary>Removes a tree whatever it holds (read-only directories, names that are not UTF-8, devices).</summary>
    public static void Remove(string path)
    {
        if (Directory.Exists(path) || File.Exists(path))
        {
            ProcessRunner.Run("chmod", "-R", "u+rwx", path);
            ProcessRunner.Run("rm", "-rf", path).EnsureSuccess();
        }
    }

    /// <summary>Standard input as a pipe: no seeking, no length.</summary>
    private sealed class PipeLike(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes, writable: false);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => _inner.Read(buffer);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Standard output is never closed by the command that writes to it.</summary>
    private sealed class KeepOpen(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
