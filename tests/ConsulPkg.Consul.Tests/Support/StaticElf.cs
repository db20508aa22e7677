namespace ConsulPkg.Consul.Tests.Support;

/// <summary>
/// A real, statically linked, unstripped x86-64 ELF executable, compiled once per test run with
/// the host's gcc: what lintian sees in HashiCorp's Go-built consul (static, with a symbol table)
/// without shipping a 100 MB binary in the repository.
/// </summary>
internal static class StaticElf
{
    private static readonly Lazy<byte[]> Compiled = new(Compile);

    public static byte[] Bytes => Compiled.Value;

    private static byte[] Compile()
    {
        using var dir = new TempDirectory();
        string source = dir.WriteFile("consul.c", "int main(void) { return 0; }\n");
        string output = dir.Combine("consul");
        ProcessRunner.RunUtc("gcc", "-static", "-no-pie", "-O2", "-o", output, source).EnsureSuccess();
        return File.ReadAllBytes(output);
    }
}
