namespace ConsulPkg.Debian;

/// <summary>
/// A control.tar member beyond control, md5sums, conffiles and the maintainer scripts: debconf's
/// <c>config</c> and <c>templates</c>, <c>triggers</c>, <c>shlibs</c>, or any file a front end
/// adds. <see cref="Executable"/> members (debconf runs <c>config</c> as a program) get 0755 and
/// must start with "#!"; the rest 0644, the modes dpkg-deb gives them.
/// </summary>
public sealed record ExtraControlMember(string Name, ReadOnlyMemory<byte> Data, bool Executable = false);
