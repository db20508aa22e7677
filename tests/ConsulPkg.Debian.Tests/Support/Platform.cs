// Debian packages, their modes and the tools that judge them exist only on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
