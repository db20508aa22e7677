namespace ConsulPkg.Debian.Tests;

/// <summary>Relation lists sorted and simplified, judged by dpkg's own Dpkg::Deps (what dpkg-shlibdeps and dpkg-gencontrol run).</summary>
[TestFixture]
public sealed class RelationTests
{
    private static readonly string[] Lists =
    [
        "libc6 (>= 2.34), foo, libc6 (>= 2.36), foo (>= 1) | bar, foo (>= 2)",
        "a | b, c, a",
        "zlib1g (>= 1:1.2.0), zlib1g (>= 1:1.1.4), libssl3 (>= 3.0.0), libc6 (>> 2.36), libc6 (<< 2.37), libc6 (>= 2.34)",
        "foo (= 1.0), foo (>= 0.9), foo (<< 2), foo (<= 1.0), foo (>> 0.5)",
        "foo (<< 2), foo (<< 1.5), foo (<= 1.5), foo (= 1.4)",
        "foo:any, foo, foo (>= 1)",
        "b (>= 1.10), b (>= 1.9), a, b, a (<< 2), b (= 1)",
        "debconf (>= 0.5) | debconf-2.0, debconf, adduser",
        "pkg [amd64], pkg (>= 1), pkg <!nocheck>",
    ];

    [TestCaseSource(nameof(Lists))]
    public void SimplifiesAsDpkgGencontrol(string list)
    {
        string ours = string.Join(", ", Relation.Simplify(Split(list)).Select(r => r.Text));
        Assert.That(ours, Is.EqualTo(Perl("$d->simplify_deps(Dpkg::Deps::KnownFacts->new());", list)));
    }

    [TestCaseSource(nameof(Lists))]
    public void SortsAsDpkgShlibdeps(string list)
    {
        Assert.That(string.Join(", ", Relation.Sort(Split(list)).Select(r => r.Text)), Is.EqualTo(Perl("$d->sort();", list)));
    }

    [TestCase("libc6(>=2.34)", "libc6 (>= 2.34)")]
    [TestCase("  foo  |bar ( << 1:2 ) ", "foo | bar (<< 1:2)")]
    [TestCase("not a relation!", "not a relation!")]
    public void WritesARelationAsDpkgDoes(string text, string written) =>
        Assert.That(Relation.Parse(text).Text, Is.EqualTo(written));

    private static List<Relation> Split(string list) => [.. list.Split(',').Select(Relation.Parse)];

    private static string Perl(string operation, string list) =>
        ProcessRunner.Run("perl", "-MDpkg::Deps", "-e", $"my $d = deps_parse($ARGV[0], reduce_restrictions => 0); {operation} print \"$d\";", list).EnsureSuccess().StdOut;
}
