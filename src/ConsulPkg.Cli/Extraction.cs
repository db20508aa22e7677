using ConsulPkg.Debian.Reading;
using ConsulPkg.Fpm.Staging;

namespace ConsulPkg.Cli;

/// <summary>
/// What an extraction restores here, as GNU tar under dpkg-deb would: as root, owners (by the
/// names in the archive when this host has them) and exact modes; otherwise exact modes only
/// with tar's -p (dpkg-deb -x), else less the umask (dpkg-deb -e).
/// </summary>
internal static class Extraction
{
    public static ExtractOptions Options(CliContext context, bool preservePermissions, Action<TarEntry>? listing = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        bool root = context.IsPrivileged;
        HostAccounts? accounts = root ? HostAccounts.Load() : null;
        return new ExtractOptions
        {
            PreservePermissions = preservePermissions || root,
            Umask = preservePermissions || root ? 0 : context.Umask(),
            LocalUserId = accounts is null ? null : accounts.FindUserId,
            LocalGroupId = accounts is null ? null : accounts.FindGroupId,
            Listing = listing,
        };
    }
}
