using System.Text;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Building;
using ConsulPkg.Debian.IO;
using ConsulPkg.Debian.Reading;
using ConsulPkg.Fpm.Staging;

namespace ConsulPkg.Cli.DpkgDeb;

/// <summary>
/// <c>consul-pkg dpkg-deb ARGS...</c>, and the executable run through a link named
/// <c>dpkg-deb</c>: dpkg-deb 1.21's command line (<see cref="DpkgDebCommandLine"/>), its
/// operations on our reader and writer, its output byte for byte, its exit statuses (0, or 2
/// for any error), and its warnings in its words. Errors are one line of our own.
/// </summary>
internal sealed class DpkgDebFrontEnd
{
    public const string Name = "dpkg-deb";

    private const string ControlDirectory = "DEBIAN";

    private readonly CliContext _context;
    private readonly Stream _output;
    private readonly TextWriter _error;
    private readonly CancellationToken _cancellationToken;
    private HostAccounts? _accounts;

    private DpkgDebFrontEnd(CliContext context, Stream output, TextWriter error, CancellationToken cancellationToken)
    {
        _context = context;
        _output = output;
        _error = error;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Runs dpkg-deb's command line (<paramref name="args"/> without the program name); returns the exit status.</summary>
    public static int Run(IReadOnlyList<string> args, CliContext context, Stream output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var frontEnd = new DpkgDebFrontEnd(context, output, error, cancellationToken);
        try
        {
            DpkgDebCommandLine line = DpkgDebCommandLine.Parse(args, context.GetEnvironmentVariable);
            int status = frontEnd.Execute(line);
            output.Flush();
            return status;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"{Name}: error: interrupted");
            return 2;
        }
        catch (DpkgDebUsageException e)
        {
            error.WriteLine($"{Name}: error: {e.Message} (see '{Name} --help')");
            return 2;
        }
        catch (Exception e) when (ExitCodes.For(e) != ExitCodes.InternalError || e is ArgumentException)
        {
            TryFlush(output);
            error.WriteLine($"{Name}: error: {MessageText.Flatten(e.Message)}");
            return 2;
        }
    }

    private int Execute(DpkgDebCommandLine line)
    {
        IReadOnlyList<string> args = line.Arguments;
        switch (line.Action)
        {
            case DpkgDebAction.Help:
                Write(DpkgDebTexts.Help);
                return 0;
            case DpkgDebAction.Version:
                Write(DpkgDebTexts.Version(_context.HostArchitecture ?? "unknown"));
                return 0;
            case DpkgDebAction.Build:
                return Build(line);
            case DpkgDebAction.Contents:
                if (args.Count != 1)
                {
                    throw Usage($"{line.ActionName} takes exactly one argument");
                }
                using (DebPackageReader reader = Open(args[0]))
                {
                    reader.WriteContents(_output, _context.Listing());
                }
                return 0;
            case DpkgDebAction.Info:
                return args.Count >= 2 ? Components(line, args[0], args.Skip(1).ToList()) : Info(line, args);
            case DpkgDebAction.Field:
                return Field(line, args);
            case DpkgDebAction.Show:
                return Show(line, args);
            case DpkgDebAction.Control:
                if (args.Count == 0)
                {
                    throw Usage($"{line.ActionName} needs a .deb filename argument");
                }
                if (args.Count > 2)
                {
                    throw Usage($"{line.ActionName} takes at most two arguments (.deb and directory)");
                }
                using (DebPackageReader reader = Open(args[0]))
                {
                    reader.ExtractControlTo(_context.ResolvePath(args.Count > 1 ? args[1] : ControlDirectory), ExtractOptions(permissions: false, listing: false));
                }
                return 0;
            case DpkgDebAction.Extract or DpkgDebAction.VerboseExtract:
                (string deb, string directory) = PackageAndDirectory(line, args);
                using (DebPackageReader reader = Open(deb))
                {
                    reader.ExtractTo(_context.ResolvePath(directory), ExtractOptions(permissions: true, listing: line.Verbose || line.Action == DpkgDebAction.VerboseExtract));
                }
                return 0;
            case DpkgDebAction.RawExtract:
                return RawExtract(line, args);
            case DpkgDebAction.ControlTarfile or DpkgDebAction.FilesystemTarfile:
                if (args.Count == 0)
                {
                    throw Usage($"{line.ActionName} needs a .deb filename argument");
                }
                if (args.Count > 1)
                {
                    throw Usage($"{line.ActionName} takes only one argument (.deb filename)");
                }
                using (DebPackageReader reader = Open(args[0]))
                {
                    if (line.Action == DpkgDebAction.ControlTarfile)
                    {
                        reader.CopyControlTar(_output);
                    }
                    else
                    {
                        reader.CopyDataTar(_output);
                    }
                }
                return 0;
            default:
                throw new InvalidOperationException($"no handler for {line.Action}");
        }
    }

    /// <summary>-I FILE: the header, one line per control file, the control file indented (info_list).</summary>
    private int Info(DpkgDebCommandLine line, IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw Usage($"{line.ActionName} needs a .deb filename argument");
        }
        using DebPackageReader reader = Open(args[0]);
        reader.WriteInfo(_output);
        if (reader.Control.ControlFileBytes is null)
        {
            Warning("no 'control' file in control archive!");
        }
        return 0;
    }

    /// <summary>-I FILE NAME...: each named control file's bytes (info_spew); a missing one is a notice, then an error.</summary>
    private int Components(DpkgDebCommandLine line, string deb, IReadOnlyList<string> names)
    {
        _ = line;
        using DebPackageReader reader = Open(deb);
        IReadOnlyList<string> missing = reader.WriteControlFiles(_output, names);
        foreach (string name in missing)
        {
            Notice($"'{deb}' contains no control component '{name}'");
        }
        return missing.Count == 0 ? 0
            : throw new PackageException(missing.Count == 1 ? "1 requested control component is missing" : $"{missing.Count} requested control components are missing");
    }

    /// <summary>-f FILE [FIELD...]: the control file, or fields as dpkg writes them back.</summary>
    private int Field(DpkgDebCommandLine line, IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw Usage($"{line.ActionName} needs a .deb filename argument");
        }
        if (args.Count == 1)
        {
            return Components(line, args[0], ["control"]);
        }
        using DebPackageReader reader = Open(args[0]);
        DpkgControl control = Parse(reader);
        control.WriteFields(_output, args.Skip(1).ToList());
        return 0;
    }

    /// <summary>-W FILE: the show format over the parsed control file (the format is checked before the file is opened).</summary>
    private int Show(DpkgDebCommandLine line, IReadOnlyList<string> args)
    {
        DpkgShowFormat format;
        try
        {
            format = DpkgShowFormat.Parse(line.ShowFormat);
        }
        catch (ArgumentException e)
        {
            throw new PackageException($"error in show format: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        if (args.Count == 0)
        {
            throw Usage($"{line.ActionName} needs a .deb filename argument");
        }
        using DebPackageReader reader = Open(args[0]);
        _output.Write(format.Render(Parse(reader)));
        return 0;
    }

    private int RawExtract(DpkgDebCommandLine line, IReadOnlyList<string> args)
    {
        if (args.Count > 0 && args[0] == PackageFile.StandardInput)
        {
            throw Usage($"{line.ActionName} does not support (yet) reading the .deb from standard input");
        }
        (string deb, string directory) = PackageAndDirectory(line, args);
        string target = _context.ResolvePath(directory);
        using (DebPackageReader reader = Open(deb))
        {
            reader.ExtractTo(target, ExtractOptions(permissions: true, listing: line.Verbose));
        }
        using (DebPackageReader reader = Open(deb))
        {
            reader.ExtractControlTo(Path.Combine(target, ControlDirectory), ExtractOptions(permissions: false, listing: false) with { RequireNewDirectory = true });
        }
        return 0;
    }

    /// <summary>-b DIRECTORY [DEB]: the control area checked (unless --nocheck), then the package built as dpkg-deb builds it.</summary>
    private int Build(DpkgDebCommandLine line)
    {
        IReadOnlyList<string> args = line.Arguments;
        if (args.Count == 0)
        {
            throw Usage($"{line.ActionName} needs a <directory> argument");
        }
        if (args.Count > 2)
        {
            throw Usage($"{line.ActionName} takes at most two arguments");
        }
        string directory = args[0];
        string root = _context.ResolvePath(directory);
        string? destination = args.Count > 1 ? args[1] : null;
        string? output = DestinationPath(directory, destination);
        string name;
        if (line.NoCheck)
        {
            if (output is null)
            {
                throw new PackageException("target is directory - cannot skip control file check");
            }
            Warning("not checking contents of control area");
            Info($"building an unknown package in '{output}'.");
            name = "";
        }
        else
        {
            (DpkgControl control, IReadOnlyList<string> warnings) = TreeControlCheck.Check(root, directory, NativeArchitecture);
            foreach (string warning in warnings)
            {
                Warning(warning);
            }
            if (warnings.Count > 0)
            {
                Warning(warnings.Count == 1 ? "ignoring 1 warning about the control file(s)" : $"ignoring {warnings.Count} warnings about the control file(s)");
            }
            output ??= $"{destination}/{control.Name}_{control.VersionWithoutEpoch}_{control.Architecture}.deb";
            name = control.Name;
            Info($"building package '{name}' in '{output}'.");
        }
        _output.Flush();

        HostAccounts accounts = Accounts();
        var options = new TreePackageOptions
        {
            Root = root,
            Timestamp = Timestamp(),
            RootOwnerGroup = line.RootOwnerGroup,
            DataCompression = line.Compression,
            ControlCompression = line.UniformCompression ? line.Compression : Debian.Compression.CompressionSettings.Default,
            Threads = line.ThreadsMax,
            OldFormat = line.OldFormat,
            RefuseNewlines = !line.NoCheck,
            UserName = accounts.FindUserName,
            GroupName = accounts.FindGroupName,
            TarWarning = message => _error.WriteLine($"tar: {message}"),
            FileMode = (UnixFileMode)(0x1a4 & ~_context.Umask()),
        };
        TreePackageWriter.Write(options, _context.ResolvePath(output), _cancellationToken);
        return 0;
    }

    /// <summary>gen_dest_pathname: DEB as given unless it is a directory (null: named from the control file); without one, DIRECTORY.deb.</summary>
    private string? DestinationPath(string directory, string? destination)
    {
        if (destination is not null)
        {
            return Directory.Exists(_context.ResolvePath(destination)) ? null : destination;
        }
        string trimmed = directory;
        for (int end = trimmed.Length - 1; end >= 1; end--)
        {
            if (trimmed[end] == '/' || (trimmed[end - 1] == '/' && trimmed[end] == '.'))
            {
                trimmed = trimmed[..end];
            }
            else
            {
                break;
            }
        }
        return trimmed + ".deb";
    }

    /// <summary>SOURCE_DATE_EPOCH read as strtoimax reads it (the whole value, a sign allowed), else the clock.</summary>
    private long Timestamp()
    {
        string? text = _context.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (text is null)
        {
            return _context.Now().ToUnixTimeSeconds();
        }
        int end = DpkgText.Strtol(text, 10, out long value, out bool overflow);
        return end > 0 && end == text.Length && !overflow
            ? value
            : throw new PackageException($"unable to parse timestamp '{text}' in SOURCE_DATE_EPOCH: give whole seconds since 1970");
    }

    private static (string Package, string Directory) PackageAndDirectory(DpkgDebCommandLine line, IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            throw Usage($"{line.ActionName} needs .deb filename and directory arguments");
        }
        if (args.Count == 1)
        {
            throw Usage($"{line.ActionName} needs a target directory; perhaps you should be using dpkg --install ?");
        }
        if (args.Count > 2)
        {
            throw Usage($"{line.ActionName} takes at most two arguments (.deb and directory)");
        }
        return (args[0], args[1]);
    }

    /// <summary>What GNU tar restores when dpkg-deb runs it (<see cref="Extraction"/>), and -X's list of names.</summary>
    private ExtractOptions ExtractOptions(bool permissions, bool listing)
    {
        ListingOptions names = _context.Listing();
        return Extraction.Options(_context, permissions, listing ? entry => WriteName(entry, names) : null);
    }

    /// <summary>tar -xv names each member as it goes, quoted as in a listing.</summary>
    private void WriteName(TarEntry entry, ListingOptions names)
    {
        _output.Write(ContentsFormatter.QuotedName(entry.RawName.Span, names));
        _output.WriteByte((byte)'\n');
    }

    private DpkgControl Parse(DebPackageReader reader)
    {
        DpkgControl control = reader.ParseControl(NativeArchitecture);
        foreach (DpkgWarning warning in control.Warnings)
        {
            Warning($"parsing file '{reader.DisplayName}:control' near line {warning.Line}{(warning.Package is null ? "" : $" package '{warning.Package}'")}:\n {warning.Message}");
        }
        return control;
    }

    /// <summary>Opens the package; what GNU tar would warn about while reading it goes to standard error, as under dpkg-deb.</summary>
    private DebPackageReader Open(string deb)
    {
        DebPackageReader reader = PackageFile.Open(deb, _context);
        reader.TarWarning = message =>
        {
            _output.Flush();
            _error.WriteLine($"tar: {message}");
        };
        reader.KnownUser = name => Accounts().FindUserId(name) is not null;
        reader.KnownGroup = name => Accounts().FindGroupId(name) is not null;
        return reader;
    }

    private string NativeArchitecture => _context.HostArchitecture ?? "amd64";

    private HostAccounts Accounts() => _accounts ??= HostAccounts.Load();

    private void Write(string text) => _output.Write(Encoding.UTF8.GetBytes(text));

    /// <summary>dpkg's info(): "dpkg-deb: " and the message, on standard output.</summary>
    private void Info(string message) => Write($"{Name}: {message}\n");

    /// <summary>dpkg's warning(): on standard error; a message may span lines, as dpkg's do.</summary>
    private void Warning(string message)
    {
        _output.Flush();
        _error.WriteLine($"{Name}: warning: {message}");
    }

    private void Notice(string message)
    {
        _output.Flush();
        _error.WriteLine($"{Name}: {message}");
    }

    private static void TryFlush(Stream output)
    {
        try
        {
            output.Flush();
        }
        catch (IOException)
        {
            // The error being reported matters more than output that cannot be delivered.
        }
    }

    private static DpkgDebUsageException Usage(string message) => new(message);
}
