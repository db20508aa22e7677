using ConsulPkg.Install.Tests.Support;

namespace ConsulPkg.Install.Tests;

/// <summary>Reports, once per run, how long the Debian roots took to get ready (cold or cached).</summary>
[SetUpFixture]
public sealed class InstallSuite
{
    [OneTimeTearDown]
    public void ReportTimings()
    {
        foreach (var line in DebianRootCache.Timings)
        {
            TestContext.Progress.WriteLine(line);
        }
    }
}
