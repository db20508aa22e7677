namespace ConsulPkg.Debian.Tests;

/// <summary>Versions per Debian Policy 5.6.12, split where dpkg splits them.</summary>
[TestFixture]
public sealed class DebianVersionTests
{
    [TestCase("0.7.2", 0, "0.7.2", null)]
    [TestCase("0.7.2-1", 0, "0.7.2", "1")]
    [TestCase("1:0.7.2-1", 1, "0.7.2", "1")]
    [TestCase("1.0-1-1", 0, "1.0-1", "1")]
    [TestCase("2.0~rc1+dfsg-0ubuntu1.2", 0, "2.0~rc1+dfsg", "0ubuntu1.2")]
    public void ParsesAndRoundTrips(string text, int epoch, string upstream, string? revision)
    {
        DebianVersion v = DebianVersion.Parse(text);
        Assert.Multiple(() =>
        {
            Assert.That(v.Epoch, Is.EqualTo(epoch));
            Assert.That(v.Upstream, Is.EqualTo(upstream));
            Assert.That(v.Revision, Is.EqualTo(revision));
            Assert.That(v.ToString(), Is.EqualTo(text));
        });
    }

    [TestCase("1.0-", "revision")]
    [TestCase("-1", "upstream")]
    [TestCase("", "upstream")]
    [TestCase("v1.0", "v1.0")]
    [TestCase("1.0_1", "1.0_1")]
    [TestCase("1.0-1_2", "1_2")]
    [TestCase(":1.0", "epoch")]
    [TestCase("x:1.0", "epoch")]
    public void RefusesWithTheValueNamed(string text, string named)
    {
        var ex = Assert.Throws<InvalidSpecException>(() => DebianVersion.Parse(text))!;
        Assert.That(ex.Message, Does.Contain(named).And.Not.Contain('\n'));
    }

    [Test]
    public void RefusesAHyphenInUpstreamWithoutARevision()
    {
        var ex = Assert.Throws<InvalidSpecException>(() => _ = new DebianVersion("1.0-1"))!;
        Assert.That(ex.Message, Does.Contain("'1.0-1'").And.Contain("revision"));
    }

    private static readonly string[] Ordered =
    [
        "0", "0.9", "1.0~rc1", "1.0", "1.0-0.1", "1.0-1", "1.0-1ubuntu1", "1.0+dfsg-1", "1.0.0", "1.00.1", "1.1~", "1.1", "1.1a", "1.10", "1:0.1", "2:0",
    ];

    /// <summary>Every pair of <see cref="Ordered"/>, judged by dpkg --compare-versions (one process for all of them).</summary>
    [Test]
    public void OrdersVersionsAsDpkgDoes()
    {
        string[] versions = Ordered;
        var pairs = versions.SelectMany(a => versions.Select(b => (a, b))).ToList();
        string script = string.Join('\n', pairs.Select(p => $"if dpkg --compare-versions '{p.a}' lt '{p.b}'; then echo '<'; elif dpkg --compare-versions '{p.a}' eq '{p.b}'; then echo '='; else echo '>'; fi"));
        string[] dpkg = ProcessRunner.Run("sh", "-c", script).EnsureSuccess().StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string[] ours = pairs.Select(p => DebianVersion.Parse(p.a).CompareTo(DebianVersion.Parse(p.b)) switch { < 0 => "<", 0 => "=", _ => ">" }).ToArray();
        Assert.That(ours, Is.EqualTo(dpkg));
        Assert.That(DebianVersion.Parse("1.0-0") < DebianVersion.Parse("1.0-1") && DebianVersion.Parse("1.0") >= DebianVersion.Parse("1.0-0"), Is.True);
    }

    /// <summary>Pairs around each rule of dpkg's order; every answer is checked against dpkg itself.</summary>
    [TestCase("1.0", "1.0-0")]
    [TestCase("1.0~rc1", "1.0")]
    [TestCase("1.0~~", "1.0~")]
    [TestCase("1.0", "1.0a")]
    [TestCase("1.0a", "1.0+")]
    [TestCase("1.9", "1.10")]
    [TestCase("1.010", "1.10")]
    [TestCase("2.0-1", "1:0.1-1")]
    [TestCase("1.0-9", "1.0-10")]
    [TestCase("1.0-1", "1.0-1.1")]
    [TestCase("1.0-1~bpo1", "1.0-1")]
    [TestCase("1.1", "1.a")]
    [TestCase("1.2.3", "1.2.3")]
    public void OrdersAsDpkgDoes(string left, string right)
    {
        int ours = Math.Sign(DebianVersion.Compare(DebianVersion.Parse(left), DebianVersion.Parse(right)));
        int dpkg = ProcessRunner.Run("dpkg", "--compare-versions", left, "lt", right).ExitCode == 0 ? -1
            : ProcessRunner.Run("dpkg", "--compare-versions", left, "eq", right).ExitCode == 0 ? 0 : 1;
        Assert.Multiple(() =>
        {
            Assert.That(ours, Is.EqualTo(dpkg), $"{left} against {right}");
            Assert.That(Math.Sign(DebianVersion.Compare(DebianVersion.Parse(right), DebianVersion.Parse(left))), Is.EqualTo(-dpkg), "the other way round");
        });
    }
}
