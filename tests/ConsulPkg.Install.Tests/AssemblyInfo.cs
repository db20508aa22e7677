using System.Runtime.Versioning;

// debootstrap, chroot and dpkg: these tests only mean something on a Debian host.
[assembly: SupportedOSPlatform("linux")]
