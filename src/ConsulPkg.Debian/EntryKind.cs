namespace ConsulPkg.Debian;

/// <summary>What a data.tar entry is. Only these four exist in a Debian package.</summary>
public enum EntryKind
{
    File,
    Directory,
    Symlink,
    HardLink,
}
