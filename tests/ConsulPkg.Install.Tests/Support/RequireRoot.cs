namespace ConsulPkg.Install.Tests.Support;

internal static class RequireRoot
{
    /// <summary>
    /// Fails (never skips) the test when not running as root: debootstrap, chroot and mount need
    /// it, and a suite that silently skipped its install tests would prove nothing.
    /// </summary>
    public static void Check()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Fail(
                "the install tests need root (debootstrap, chroot, mount): run build/test.sh as root, "
                + "or leave them out with: build/test.sh --filter TestCategory!=Install");
        }
    }
}
