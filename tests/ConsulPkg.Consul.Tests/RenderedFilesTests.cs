using ConsulPkg.Consul.Tests.Support;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;
using ConsulPkg.Debian.Scripts;

namespace ConsulPkg.Consul.Tests;

/// <summary>The shipped templates, rendered and judged by the real systemd-analyze and shellcheck.</summary>
[TestFixture]
public sealed class RenderedFilesTests
{
    private static RenderedPackage Render(
        PackageLayout layout, ConsulTemplates? templates = null, string version = "0.7.2", GossipKeyDelivery delivery = GossipKeyDelivery.Embedded)
    {
        ConsulFacts facts = ConsulVersionFacts.For(version);
        GossipKey? key = delivery == GossipKeyDelivery.Embedded ? GossipKey.Parse(TestKeys.GossipKeyBase64, "test") : null;
        return ConsulRenderer.RenderAll(
            templates ?? ConsulTemplates.Load(),
            ConsulRenderer.Model(facts, version + "-1", layout, new AgentSettings(), key, delivery),
            facts);
    }

    /// <summary>
    /// systemd-analyze verify inside a scratch root holding the unit where the layout puts it, the
    /// binary it runs, /bin/kill and the host's targets (so dependencies resolve).
    /// </summary>
    internal static ProcessResult VerifyUnit(string unitText, string unitPath, string binaryPath)
    {
        using var root = new TempDirectory();
        root.WriteFile(unitPath.TrimStart('/'), unitText);
        root.WriteFile(binaryPath.TrimStart('/'), FakeRelease.StandInScript, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(root.Combine("bin"));
        // ExecReload= runs /bin/sh, which every Debian system has (Essential); nothing else under /bin.
        File.Copy("/bin/sh", root.Combine("bin", "sh"));
        string targets = root.Combine("usr", "lib", "systemd", "system");
        Directory.CreateDirectory(targets);
        foreach (string target in Directory.GetFiles("/usr/lib/systemd/system", "*.target"))
        {
            string destination = Path.Combine(targets, Path.GetFileName(target));
            if (!File.Exists(destination))
            {
                File.Copy(target, destination);
            }
        }

        return ProcessRunner.RunUtc("systemd-analyze", "verify", "--root=" + root.Path, unitPath);
    }

    [TestCase(PackageLayout.Seed)]
    [TestCase(PackageLayout.Debian)]
    public void UnitPassesSystemdAnalyzeVerify(PackageLayout layout)
    {
        LayoutPaths paths = LayoutPaths.For(layout);
        RenderedPackage rendered = Render(layout);
        ProcessResult result = VerifyUnit(rendered.Unit, paths.UnitPath, paths.BinaryPath);
        Assert.That(result.ExitCode, Is.Zero, result.StdErr + result.StdOut);
        Assert.That(result.StdErr, Is.Empty);
    }

    [Test]
    public void SystemdAnalyzeCatchesAUnitWhoseBinaryIsMissing()
    {
        // Proves the check above can fail: the seed's unit pointed at a path nothing installs.
        RenderedPackage rendered = Render(PackageLayout.Seed);
        ProcessResult result = VerifyUnit(rendered.Unit, "/usr/lib/systemd/system/consul.service", "/usr/bin/not-consul");
        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.StdErr, Does.Contain("/usr/local/bin/consul"));
    }

    [Test]
    public void UnitStartsAnAgentForTheInstallTimeRole()
    {
        string unit = Render(PackageLayout.Seed).Unit;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(unit, Does.Contain("\nExecStart=/usr/local/bin/consul agent -config-dir=/etc/consul.d/${CONSUL_ROLE} -config-dir=/etc/consul.d/node\n"));
            Assert.That(unit, Does.Contain("\nEnvironment=CONSUL_ROLE=client\n"));
            Assert.That(unit, Does.Contain("\nEnvironmentFile=-/etc/default/consul\n"));
            Assert.That(unit, Does.Contain("\nType=simple\n"));
            // No /bin/kill: it is in procps, which the package does not depend on.
            Assert.That(unit, Does.Contain("\nExecReload=/bin/sh -c 'kill -HUP \"$$MAINPID\"'\n"));
            Assert.That(unit, Does.Not.Contain("/bin/kill"));
            Assert.That(unit, Does.Contain("\nUser=consul\n"));
        }
    }

    /// <summary>The maintainer scripts and debconf's config script, for each way the agents get their key.</summary>
    [TestCase(PackageLayout.Seed, GossipKeyDelivery.Embedded)]
    [TestCase(PackageLayout.Debian, GossipKeyDelivery.Embedded)]
    [TestCase(PackageLayout.Seed, GossipKeyDelivery.AtInstall)]
    [TestCase(PackageLayout.Debian, GossipKeyDelivery.None)]
    public void ScriptsPassShellcheck(PackageLayout layout, GossipKeyDelivery delivery)
    {
        using var dir = new TempDirectory();
        RenderedPackage rendered = Render(layout, delivery: delivery);
        foreach ((string name, string text) in rendered.Scripts.Select(p => (p.Key.ToString().ToLowerInvariant(), p.Value)).Append(("config", rendered.DebconfConfig)))
        {
            string file = dir.WriteFile(name, text);
            ProcessResult result = ProcessRunner.RunUtc("shellcheck", "--shell=sh", "--severity=style", file);
            Assert.That(result.ExitCode, Is.Zero, $"{name}:\n{result.StdOut}{result.StdErr}");
        }
    }

    /// <summary>
    /// The tool's own package ships the templates, and lintian runs `sh -n` on every file that
    /// starts with "#!": a script template must parse as shell before it is rendered too.
    /// </summary>
    [Test]
    public void ScriptTemplatesParseAsShellUnrendered()
    {
        foreach (string file in Directory.GetFiles(ConsulTemplates.ShippedDirectory, "*" + ConsulTemplates.Extension))
        {
            if (File.ReadAllText(file).StartsWith("#!", StringComparison.Ordinal))
            {
                ProcessResult result = ProcessRunner.RunUtc("sh", "-n", file);
                Assert.That(result.ExitCode, Is.Zero, $"{file}: {result.StdErr}");
            }
        }
    }

    [Test]
    public void ShellcheckCatchesABrokenScript()
    {
        using var dir = new TempDirectory();
        string file = dir.WriteFile("postinst", "#!/bin/sh\nrm -rf $1/data\n");
        Assert.That(ProcessRunner.RunUtc("shellcheck", "--shell=sh", file).ExitCode, Is.Not.Zero);
    }

    /// <summary>
    /// An unknown argument fails loudly before the script touches anything, so this much can run
    /// here; every argument dpkg passes runs in a scratch root (MaintainerScriptArgumentTests in
    /// the install tests), since the scripts add users and record systemd state.
    /// </summary>
    [TestCase(MaintainerScript.Preinst)]
    [TestCase(MaintainerScript.Postinst)]
    [TestCase(MaintainerScript.Prerm)]
    [TestCase(MaintainerScript.Postrm)]
    public void ScriptsRefuseUnknownArguments(MaintainerScript script)
    {
        using var dir = new TempDirectory();
        string file = dir.WriteFile("script", Render(PackageLayout.Debian).Scripts[script], (UnixFileMode)0b111_101_101);
        ProcessResult bad = ProcessRunner.RunUtc(file, "frobnicate");
        Assert.That(bad.ExitCode, Is.EqualTo(1));
        Assert.That(bad.StdErr, Does.Contain("unknown argument 'frobnicate'"));
    }

    [Test]
    public void PreinstChangesNothingBeforeUnpack()
    {
        // The seed's preinst chowned paths that do not exist yet on a first install.
        string preinst = Render(PackageLayout.Seed).Scripts[MaintainerScript.Preinst];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(preinst, Does.Not.Contain("chown"));
            Assert.That(preinst, Does.Contain("adduser --system"));
            Assert.That(preinst, Does.Contain("getent passwd consul"));
        }
    }

    [Test]
    public void PostinstFixesOwnershipAndDoesNotStartTheService()
    {
        string postinst = Render(PackageLayout.Seed).Scripts[MaintainerScript.Postinst];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(postinst, Does.Contain("chown consul:consul /var/lib/consul"));
            Assert.That(postinst, Does.Contain("chmod 0750 /var/lib/consul"));
            Assert.That(postinst, Does.Contain("chmod 0640 \"$config\""));
            Assert.That(postinst, Does.Not.Match(@"(?m)^\s*systemctl (--[a-z-]+ )*(start|enable|restart)"), "only told, never done");
            Assert.That(postinst, Does.Contain("systemctl enable consul.service && systemctl start consul.service"));
        }
    }

    [Test]
    public void ConfigsAreValidAndShareOneKey()
    {
        RenderedPackage rendered = Render(PackageLayout.Seed);
        using (Assert.EnterMultipleScope())
        {
            foreach ((AgentRole role, RenderedConfig config) in rendered.Configs)
            {
                Assert.That(config.FileName, Is.EqualTo("consul.json"));
                Assert.That(config.Text, Does.Contain($"\"encrypt\": \"{TestKeys.GossipKeyBase64}\""), role.ToName());
            }

            Assert.That(rendered.Configs[AgentRole.Bootstrap].Text, Does.Contain("\"bootstrap\": true"));
            Assert.That(rendered.Configs[AgentRole.Client].Text, Does.Contain("\"server\": false"));
            Assert.That(rendered.Configs[AgentRole.Client].Text, Does.Contain("\"retry_join\": [\"172.20.20.10\",\"172.20.20.11\",\"172.20.20.12\"]"));
        }
    }

    [TestCase("0.7.2", "# Consul 0.7.2 has no sd_notify support: Type=simple, not notify.\nType=simple\n")]
    [TestCase("1.17.3", "# bootstrap role joins nobody: Type=notify would never finish starting it.\nType=simple\n")]
    public void UnitTypeIsSimpleAndSaysWhyForTheVersion(string version, string expected)
    {
        Assert.That(Render(PackageLayout.Seed, version: version).Unit, Does.Contain(expected));
    }

    [Test]
    public void AddressesForEveryNodeLandInEveryConfig()
    {
        ConsulFacts facts = ConsulVersionFacts.For("1.17.3");
        var settings = new AgentSettings { BindAddr = "{{ GetPrivateInterfaces | include \"network\" \"172.20.20.0/24\" | attr \"address\" }}", ClientAddr = "127.0.0.1" };
        RenderedPackage rendered = ConsulRenderer.RenderAll(
            ConsulTemplates.Load(), ConsulRenderer.Model(facts, "1.17.3-1", PackageLayout.Seed, settings, GossipKey.Generate()), facts);
        foreach (string json in rendered.Configs.Values.Select(c => c.Text))
        {
            Assert.That(json, Does.Contain("\"bind_addr\": \"{{ GetPrivateInterfaces | include \\\"network\\\" \\\"172.20.20.0/24\\\" | attr \\\"address\\\" }}\",\n"));
            Assert.That(json, Does.Contain("\"client_addr\": \"127.0.0.1\",\n"));
        }
    }

    [Test]
    public void AnAddressTemplateIsRefusedForAVersionNotKnownToTakeIt()
    {
        ConsulFacts facts = ConsulVersionFacts.For("0.7.2");
        var e = Assert.Throws<PackageException>(() => ConsulRenderer.Model(
            facts, "0.7.2-1", PackageLayout.Seed, new AgentSettings { BindAddr = "{{ GetPrivateIP }}" }, GossipKey.Generate()));
        Assert.That(e!.Message, Does.StartWith("invalid bind_addr '{{ GetPrivateIP }}': go-sockaddr templates are taken from Consul 0.8.0 on, not by 0.7.2"));
    }

    [Test]
    public void DescriptionHasASynopsisAndBody()
    {
        string description = Render(PackageLayout.Seed).Description;
        Assert.That(description.Split('\n')[0], Is.EqualTo("service discovery agent (HashiCorp Consul 0.7.2) with role configs"), "lintian: must not start with the package name");
        Assert.That(description, Does.Contain("\n\n"), "a paragraph break, written ' .' in control");
    }

    [Test]
    public void UnknownTemplateFileInOverrideDirectoryIsRefused()
    {
        using var dir = new TempDirectory();
        string file = dir.WriteFile("postinstall.sbn", "#!/bin/sh\n");
        var e = Assert.Throws<PackageException>(() => ConsulTemplates.Load(dir.Path));
        Assert.That(e!.Message, Does.Contain($"unknown template '{file}'"));
    }

    [Test]
    public void TemplateSyntaxErrorNamesFileAndLine()
    {
        using var dir = new TempDirectory();
        string file = dir.WriteFile("client.json.sbn", "{\n  \"server\": false,\n  \"datacenter\": {{ datacenter_json \n}\n");
        var e = Assert.Throws<PackageException>(() => ConsulTemplates.Load(dir.Path));
        Assert.That(e!.Message, Does.StartWith("template error: " + file + "("));
    }

    [Test]
    public void OverriddenConfigTemplateIsCheckedAfterRendering()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("client.json.sbn", "{ \"server\": false, \"bootstrap\": true, \"encrypt\": {{ encrypt_json }} }\n");
        var e = Assert.Throws<PackageException>(() => Render(PackageLayout.Seed, ConsulTemplates.Load(dir.Path)));
        Assert.That(e!.Message, Does.Contain("client.json sets bootstrap without server"));
        Assert.That(e.Message, Does.Not.Contain(TestKeys.GossipKeyBase64));
    }

    [Test]
    public void UserTemplatesOverrideShippedOnesFileByFile()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("description.sbn", "Our Consul {{ consul_version }}\nBuilt in house.\n");
        RenderedPackage rendered = Render(PackageLayout.Seed, ConsulTemplates.Load(dir.Path));
        Assert.That(rendered.Description, Is.EqualTo("Our Consul 0.7.2\nBuilt in house."));
        Assert.That(rendered.Unit, Does.Contain("ExecStart=/usr/local/bin/consul agent"), "others still shipped");
    }

    [Test]
    public void ShippedScriptsIncludeTheSharedSnippetsByName()
    {
        RenderedPackage rendered = Render(PackageLayout.Seed);
        string Unit(string snippet, string token) =>
            ScriptSnippets.Render(snippet, new Dictionary<string, string> { [token] = "consul.service" });
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rendered.Scripts[MaintainerScript.Postinst], Does.Contain(Unit("postinst-systemd-dont-enable", "UNITFILE")));
            Assert.That(rendered.Scripts[MaintainerScript.Postinst], Does.Contain(ScriptSnippets.Render("postinst-systemd-reload")));
            Assert.That(rendered.Scripts[MaintainerScript.Prerm], Does.Contain(Unit("prerm-systemd-restart", "UNITFILES")));
            Assert.That(rendered.Scripts[MaintainerScript.Postrm], Does.Contain(ScriptSnippets.Render("postrm-systemd-reload-only") + "\n" + Unit("postrm-systemd", "UNITFILES")));
        }
    }

    [Test]
    public void AnOverridingTemplateIncludesASnippetByName()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("prerm.sbn", "#!/bin/sh\nset -e\n{{ snippet \"prerm-systemd-restart\" { UNITFILES: unit_name } }}exit 0\n");
        RenderedPackage rendered = Render(PackageLayout.Seed, ConsulTemplates.Load(dir.Path));
        Assert.That(rendered.Scripts[MaintainerScript.Prerm], Does.Contain("deb-systemd-invoke stop consul.service >/dev/null || true\n"));
    }

    [TestCase("{{ snippet \"postrm-sytemd\" { UNITFILES: unit_name } }}", "unknown maintainer-script snippet 'postrm-sytemd'")]
    [TestCase("{{ snippet \"postrm-systemd\" }}", "snippet 'postrm-systemd' needs UNITFILES")]
    [TestCase("{{ snippet \"postrm-systemd\" { UNITFILE: unit_name } }}", "snippet 'postrm-systemd' needs UNITFILES")]
    [TestCase("{{ snippet \"postrm-systemd-reload-only\" { UNITFILES: unit_name } }}", "snippet 'postrm-systemd-reload-only' has no token UNITFILES")]
    [TestCase("{{ snippet \"postrm-systemd\" { UNITFILES: datacenter_json } }}", "has characters the shell would interpret")]
    public void ASnippetMistakeIsATemplateErrorNamingFileAndLine(string call, string message)
    {
        using var dir = new TempDirectory();
        string file = dir.WriteFile("postrm.sbn", "#!/bin/sh\nset -e\n" + call + "\nexit 0\n");
        var e = Assert.Throws<PackageException>(() => Render(PackageLayout.Seed, ConsulTemplates.Load(dir.Path)))!;
        Assert.That(e.Message, Does.StartWith($"template error: {file}(3,").And.Contain(message));
    }

    [Test]
    public void TemplatesReadmeListsEverySnippetWithItsTokens()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "templates", "README.md"));
        foreach (string name in ScriptSnippets.Names)
        {
            string tokens = ScriptSnippets.Tokens(name).Count == 0 ? "none" : string.Join(", ", ScriptSnippets.Tokens(name).Select(t => $"`{t}`"));
            Assert.That(readme, Does.Contain($"| `{name}` | {tokens} |"), $"templates/README.md: a row for {name}");
        }
    }
}
