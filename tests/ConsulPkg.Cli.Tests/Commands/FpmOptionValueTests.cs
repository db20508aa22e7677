using ConsulPkg.Cli.Tests.Support;

namespace ConsulPkg.Cli.Tests.Commands;

/// <summary>
/// Every fpm option value out of range is a usage error: exit 2, one line naming the option and
/// the value, before any file is read. Each case runs in an empty directory with inputs, a
/// chdir and scripts that do not exist: had anything been read first, the error would be that
/// file's (exit 1). Options <c>build</c> shares with <c>fpm</c> are refused by the same parser
/// with the same words.
/// </summary>
[TestFixture]
public sealed class FpmOptionValueTests
{
    private static readonly string[] Base = ["-s", "dir", "-t", "deb", "-n", "tool", "-C", "missing", "--after-install", "missing.sh"];

    public static IEnumerable<TestCaseData> BadValues()
    {
        object[][] rows =
        [
            [new[] { "-s", "gem" }, "input type '-s gem' is not supported by consul-pkg fpm: run 'gem install"],
            [new[] { "-s", "nonsense" }, "unknown input type '-s nonsense': use dir, tar, empty or deb"],
            [new[] { "-t", "rpm" }, "unsupported output type '-t rpm': consul-pkg fpm writes only '-t deb'"],
            [new[] { "-n", "c" }, "--name: invalid package name 'c'"],
            [new[] { "-v", "latest" }, "--version: invalid upstream version 'latest'"],
            [new[] { "--iteration", "1_2" }, "--iteration: invalid Debian revision '1_2'"],
            [new[] { "--epoch", "one" }, "invalid --epoch 'one': it must be a non-negative integer"],
            [new[] { "--epoch", "-1" }, "invalid --epoch '-1': it must be a non-negative integer"],
            [new[] { "-a", "x86 64" }, "--architecture: invalid architecture 'x86 64'"],
            [new[] { "--description", "\nsecond line" }, "--description: invalid Description: its first line (the synopsis) must not be empty"],
            [new[] { "-m", "" }, "--maintainer: invalid Maintainer '': it must be a single non-empty line"],
            [new[] { "--url", "" }, "--url: invalid Homepage ''"],
            [new[] { "--license", "a\nb" }, "--license: invalid License 'a\\nb'"],
            [new[] { "--category", " " }, "--category: invalid Section ' '"],
            [new[] { "--deb-priority", "" }, "--deb-priority: invalid Priority ''"],
            [new[] { "-d", "" }, "--depends: invalid Depends entry ''"],
            [new[] { "--deb-pre-depends", "a\nb" }, "--deb-pre-depends: invalid Pre-Depends entry 'a\\nb'"],
            [new[] { "--conflicts", "" }, "--conflicts: invalid Conflicts entry ''"],
            [new[] { "--provides", " " }, "--provides: invalid Provides entry ''"],
            [new[] { "--deb-field", "NoColon" }, "invalid --deb-field 'NoColon': write it as 'Name: value'"],
            [new[] { "--deb-field", "Bad Name: x" }, "invalid --deb-field 'Bad Name: x': invalid control field name 'Bad Name'"],
            [new[] { "--deb-field", "X-Empty:" }, "invalid --deb-field 'X-Empty:': invalid value for control field 'X-Empty'"],
            [new[] { "--template-value", "my-key=x" }, "invalid --template-value 'my-key=x': write it as KEY=VALUE"],
            [new[] { "--deb-installed-size", "12k" }, "invalid --deb-installed-size '12k': give KiB as a whole number"],
            [new[] { "--deb-compression", "bzip2" }, "invalid --deb-compression 'bzip2': dpkg only reads bzip2 for old packages; use gz, xz, zst or none"],
            [new[] { "--deb-compression", "lzma" }, "invalid --deb-compression 'lzma': use gz, xz, zst or none"],
            [new[] { "--deb-compression-level", "10" }, "invalid --deb-compression-level '10': use 0 to 9 for gz"],
            [new[] { "--deb-compression", "xz", "--deb-compression-level", "high" }, "invalid --deb-compression-level 'high': use 0 to 9 for xz"],
            [new[] { "--deb-interest", "two words" }, "invalid --deb-interest 'two words'"],
            [new[] { "--deb-activate", "" }, "invalid --deb-activate ''"],
            [new[] { "--deb-interest-noawait", "a\tb" }, "invalid --deb-interest-noawait 'a\tb'"],
            [new[] { "--deb-activate-noawait", "x y" }, "invalid --deb-activate-noawait 'x y'"],
            [new[] { "--deb-systemd", "agent.sh" }, "invalid --deb-systemd unit 'agent.sh': its extension '.sh' is not a unit type"],
            [new[] { "--deb-init", "-x.init" }, "invalid --deb-init name '-x'"],
            [new[] { "--deb-default", "a b" }, "invalid --deb-default name 'a b'"],
            [new[] { "--deb-upstart", "%.upstart" }, "invalid --deb-upstart name '%'"],
            [new[] { "--deb-systemd-path", "../x" }, "--deb-systemd-path: invalid package path '../x'"],
            [new[] { "--prefix", "a/../.." }, "--prefix: invalid package path 'a/../..'"],
            [new[] { "--config-files", "../x" }, "--config-files: invalid package path '../x'"],
            [new[] { "--directories", "a\nb" }, "--directories: package path 'a\\nb' contains a NUL or newline character"],
            [new[] { "-x", "[z-a]" }, "--exclude: invalid exclude pattern '[z-a]'"],
            [new[] { "--deb-user", new string('u', 40) }, $"--deb-user: user name '{new string('u', 40)}' is 40 bytes long; tar allows at most 31"],
            [new[] { "--deb-group", new string('g', 32) }, $"--deb-group: group name '{new string('g', 32)}' is 32 bytes long; tar allows at most 31"],
            [new[] { "--source-date-epoch", "now" }, "invalid --source-date-epoch 'now': give whole seconds"],
            [new[] { "--deb-sysuser", "App" }, "invalid --deb-sysuser 'App': the name must be 1 to 32 of a-z, 0-9, '_' and '-'"],
            [new[] { "--deb-sysuser", "app:var/lib/app" }, "invalid --deb-sysuser 'app:var/lib/app': the home must be an absolute path"],
            [new[] { "--deb-sysuser", "app:/var/lib/my app" }, "invalid --deb-sysuser 'app:/var/lib/my app': the home must be an absolute path"],
            [new[] { "--deb-sysuser", "app:/a", "--deb-sysuser", "app:/b" }, "--deb-sysuser app is given with two homes (/a, /b): give one"],
            [new[] { "--source-date-epoch-default", "-1" }, "invalid --source-date-epoch-default '-1': give whole seconds"],
        ];
        return rows.Select(r => new TestCaseData(r[0], r[1]).SetArgDisplayNames(((string[])r[0])[^2] is var f && f.StartsWith('-') ? f : ((string[])r[0])[0]));
    }

    [TestCaseSource(nameof(BadValues))]
    public void IsAUsageErrorOfOneLineBeforeAnyFileIsRead(string[] given, string message)
    {
        using var empty = new TempDirectory();
        ProcessResult r = CliRunner.Run(empty.Path, ["fpm", .. Base, .. given, "input"]);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage), r.StdErr);
            Assert.That(r.ErrorLines, Has.Length.EqualTo(1), r.StdErr);
            Assert.That(r.StdErr, Does.StartWith("consul-pkg: " + message));
            Assert.That(r.StdErr, Does.EndWith(" (see 'consul-pkg fpm --help')\n"));
            Assert.That(Directory.GetFileSystemEntries(empty.Path), Is.Empty);
        });
    }

    [TestCase("-s", "missing -s/--input-type: consul-pkg fpm builds from")]
    [TestCase("-t", "missing -t/--output-type: consul-pkg fpm writes only '-t deb'")]
    public void AMissingTypeIsAUsageError(string flag, string message)
    {
        using var empty = new TempDirectory();
        int at = Array.IndexOf(Base, flag);
        ProcessResult r = CliRunner.Run(empty.Path, ["fpm", .. Base.Take(at), .. Base.Skip(at + 2), "input"]);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Usage));
            Assert.That(r.StdErr, Does.StartWith("consul-pkg: " + message));
        });
    }

    [Test]
    public void ThePreviousExitOneCheckStillGuardsWhatOnlyAFileCanSay()
    {
        // The case above would read the missing chdir (exit 1) if the value were accepted: prove it.
        using var empty = new TempDirectory();
        ProcessResult r = CliRunner.Run(empty.Path, ["fpm", .. Base, "input"]);
        Assert.Multiple(() =>
        {
            Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Failure));
            Assert.That(r.StdErr, Does.StartWith("consul-pkg: cannot read the --after-install script"));
        });
    }

    /// <summary>build and fpm: the same value of a shared option gets the same refusal (only the option's name differs).</summary>
    [TestCase("--iteration", "--iteration", "1_2")]
    [TestCase("--compression", "--deb-compression", "bzip2")]
    [TestCase("--compression", "--deb-compression", "lzma")]
    [TestCase("--source-date-epoch", "--source-date-epoch", "yesterday")]
    [TestCase("--vendor", "--vendor", "a\nb")]
    public void BuildAndFpmRefuseASharedOptionsValueAlike(string buildOption, string fpmOption, string value)
    {
        using var empty = new TempDirectory();
        ProcessResult build = CliRunner.Run(empty.Path, ["build", "--consul-version", "0.7.2", buildOption, value]);
        ProcessResult fpm = CliRunner.Run(empty.Path, ["fpm", .. Base, fpmOption, value, "input"]);
        Assert.Multiple(() =>
        {
            Assert.That(build.ExitCode, Is.EqualTo(ExitCodes.Usage), build.StdErr);
            Assert.That(fpm.ExitCode, Is.EqualTo(ExitCodes.Usage), fpm.StdErr);
            Assert.That(build.StdErr.Replace(buildOption, "OPTION", StringComparison.Ordinal).Replace("'consul-pkg build --help'", "HELP", StringComparison.Ordinal),
                Is.EqualTo(fpm.StdErr.Replace(fpmOption, "OPTION", StringComparison.Ordinal).Replace("'consul-pkg fpm --help'", "HELP", StringComparison.Ordinal)));
        });
    }
}
