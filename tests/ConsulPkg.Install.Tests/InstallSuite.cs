using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>
/// Reports, once per run, how long the Debian roots took to get ready (cold or cached), and
/// removes the release build the tests shared.
/// </summary>
[SetUpFixture]
public sealed class InstallSuite
{
    [OneTimeTearDown]
    public void ReportTimingsAndRemoveTheRelease()
    {
        foreach (var line in DebianRootCache.Timings)
        {
            TestContext.Progress.WriteLine(line);
        }

        ReleaseBuild.Remove();
    }
}
