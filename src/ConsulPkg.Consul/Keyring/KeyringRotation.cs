using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ConsulPkg.Consul.Versions;
using ConsulPkg.Debian;
using ConsulPkg.Debian.IO;

namespace ConsulPkg.Consul.Keyring;

/// <summary>What <c>consul-pkg keyring rotate</c> is asked to do. The library reads no environment: the token comes as a value.</summary>
public sealed record KeyringRotationOptions
{
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromSeconds(120);

    /// <summary>The agent's HTTP API (any agent of the cluster: a client forwards keyring requests to the servers).</summary>
    public required Uri Address { get; init; }

    /// <summary>An ACL token with keyring:write (keyring:read for a dry run); null without ACLs.</summary>
    public string? Token { get; init; }

    /// <summary>The key to rotate to; null: a new one of the agent's keygen size, written to a new file in <see cref="KeyDirectory"/>.</summary>
    public GossipKey? NewKey { get; init; }

    /// <summary>Where <see cref="NewKey"/> was read from, for the line that says how to resume.</summary>
    public string? NewKeyFile { get; init; }

    /// <summary>The directory a generated key's file is created in.</summary>
    public required string KeyDirectory { get; init; }

    /// <summary>Print the plan from the cluster's keyring and change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>How long one step (and one request) may wait for every member.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The clock the waits, the step deadlines and each request's timeout run on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>What a rotation did; nothing secret in it.</summary>
/// <param name="KeyFile">The file a generated key was written to; null when the key was given or in a dry run.</param>
/// <param name="Changed">Whether any change was sent to the cluster.</param>
public sealed record KeyringRotationResult(string? KeyFingerprint, string? KeyFile, bool Changed);

/// <summary>
/// Rotates the gossip key of a running cluster through Consul's keyring HTTP API, in Consul's
/// documented order: install the new key on every member of every pool (each datacenter's LAN
/// and the servers' WAN); make it primary; remove every other key. Each step waits until every
/// member reports the change, sending it again meanwhile (each is idempotent, so a member that
/// missed the first broadcast gets the next one).
/// </summary>
/// <remarks>
/// The plan is made from the cluster's keyring as it is, so a run that stopped (a lost agent, a
/// timeout) is resumed by running again with the same new key: a step every member has done is
/// skipped, and no key is removed before every member encrypts with the new one (where the
/// agent reports primary keys, 1.x; on 0.7.2, which does not, the use step is sent again, which
/// is harmless, and must be answered by every member). The key goes only into request bodies
/// and its file: messages show fingerprints, and whatever the agent answers is searched for keys.
/// </remarks>
public static class KeyringRotation
{
    private const int StepCount = 3;

    public static async Task<KeyringRotationResult> RunAsync(
        KeyringRotationOptions options, TextWriter output, TextWriter warnings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(warnings);
        using var api = new ConsulApi(options.Address, options.Token, options.Timeout, options.Time);
        if (options.NewKey is not null)
        {
            api.Conceal([options.NewKey]);
        }

        ReleaseVersion version = await api.AgentVersionAsync(cancellationToken).ConfigureAwait(false);
        ConsulFacts facts = ConsulVersionFacts.For(version);
        if (!facts.KeyringHttpApi)
        {
            throw new PackageException($"Consul {version} at {options.Address} has no keyring HTTP API (it came in 0.7.2): rotate with 'consul keyring' on a server, or upgrade")
            {
                Setting = KeyringSettings.HttpAddress,
            };
        }

        KeyringListing listing;
        try
        {
            listing = await api.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KeyringRefusal e)
        {
            throw new PackageException(
                $"nothing was changed: not every member answered the keyring listing ({e.Message}); bring the member back, or remove it with 'consul force-leave NAME', then run again");
        }

        await output.WriteLineAsync(
            $"Consul {version} at {options.Address}: {listing.DescribePools()}; installed: {Fingerprints(listing.Keys)}").ConfigureAwait(false);
        await WarnAboutAbsentMembersAsync(api, listing, warnings, cancellationToken).ConfigureAwait(false);

        GossipKey? newKey = options.NewKey;
        if (newKey is not null)
        {
            try
            {
                newKey.AcceptedBy(facts, "the new key file");
            }
            catch (PackageException e)
            {
                throw new PackageException(e.Message) { Setting = KeyringSettings.NewKey };
            }

            if (listing.EveryMemberHoldsOnly(newKey))
            {
                await output.WriteLineAsync($"nothing to do: every member of every pool holds only {newKey.Fingerprint}").ConfigureAwait(false);
                return new KeyringRotationResult(newKey.Fingerprint, null, Changed: false);
            }
        }
        else if (listing.Keys.Count > 1)
        {
            throw new PackageException(
                $"the cluster holds {listing.Keys.Count} keys ({Fingerprints(listing.Keys)}): a rotation is under way; finish it by giving its new key (the file the interrupted run wrote), or remove the extra key first")
            {
                Setting = KeyringSettings.NewKey,
            };
        }

        if (options.DryRun)
        {
            await PrintPlanAsync(listing, newKey, facts, options, output).ConfigureAwait(false);
            return new KeyringRotationResult(newKey?.Fingerprint, null, Changed: false);
        }

        string? keyFile = options.NewKeyFile;
        if (newKey is null)
        {
            newKey = GossipKey.Generate(facts.KeygenBytes);
            api.Conceal([newKey]);
            keyFile = WriteKeyFile(options.KeyDirectory, newKey);
            await output.WriteLineAsync(
                $"new key {newKey.Fingerprint} ({newKey.Length} bytes, what Consul {version}'s keygen makes) written to {keyFile} (mode 0600): "
                + "new nodes' configs need it, and a rerun that resumes takes it as the new key file").ConfigureAwait(false);
        }

        var rotation = new Rotation(api, options, output, warnings, newKey, keyFile, listing);
        try
        {
            await rotation.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested)
        {
            // However the run ended once interrupted (cancelled, or a failure that came first), this
            // is what it leaves. Before this point a signal leaves nothing: no file, no change sent.
            throw new InterruptedException(
                options.NewKey is null
                    ? $"the new key's file {keyFile} was written (mode 0600) and is kept: the cluster may hold the key already"
                    : "no file was written; changes sent to the cluster stay",
                e, cancellationToken);
        }

        return new KeyringRotationResult(newKey.Fingerprint, options.NewKey is null ? keyFile : null, Changed: true);
    }

    /// <summary>
    /// Members that are not alive (failed, left) are not counted by the keyring: they miss the
    /// rotation and come back with only the old key, which the others will have removed.
    /// </summary>
    private static async Task WarnAboutAbsentMembersAsync(ConsulApi api, KeyringListing listing, TextWriter warnings, CancellationToken cancellationToken)
    {
        foreach (AgentMember member in await AbsentMembersAsync(api, listing, cancellationToken).ConfigureAwait(false))
        {
            await warnings.WriteLineAsync(
                $"warning: member {member.Name} is {member.StatusName}: it misses this rotation and keeps only the old key; afterwards give it the new one as for a node that was down (docs/consul-recipe.md)").ConfigureAwait(false);
        }
    }

    private static async Task<List<AgentMember>> AbsentMembersAsync(ConsulApi api, KeyringListing listing, CancellationToken cancellationToken)
    {
        var absent = new List<AgentMember>();
        foreach (bool wan in listing.Pools.Any(p => p.Wan) ? new[] { false, true } : [false])
        {
            absent.AddRange((await api.MembersAsync(wan, cancellationToken).ConfigureAwait(false)).Where(m => !m.IsAlive && m.Status != 3));
        }

        return absent;
    }

    private static async Task PrintPlanAsync(KeyringListing listing, GossipKey? newKey, ConsulFacts facts, KeyringRotationOptions options, TextWriter output)
    {
        await output.WriteLineAsync("dry run: nothing is changed; the plan from the cluster's keyring as it is now:").ConfigureAwait(false);
        string install = newKey is null
            ? $"generate a new {facts.KeygenBytes}-byte key (what Consul {facts.Version}'s keygen makes), write it to a new 0600 file in {options.KeyDirectory}, and install it on every member"
            : listing.EveryMemberHolds(newKey)
                ? $"skip: {newKey.Fingerprint} is already on {listing.Count(p => p.Holding(newKey))}"
                : $"install {newKey.Fingerprint} on every member (now on {listing.Count(p => p.Holding(newKey))})";
        await output.WriteLineAsync($"step 1/{StepCount} install the new key: {install}").ConfigureAwait(false);

        string use = newKey is not null && listing.EveryMemberUses(newKey)
            ? $"skip: already primary on {listing.Count(p => p.UsingAsPrimary(newKey))}"
            : listing.ReportsPrimary
                ? $"make it primary on every member (now primary on {(newKey is null ? listing.Count(_ => 0) : listing.Count(p => p.UsingAsPrimary(newKey)))})"
                : $"make it primary on every member (Consul {facts.Version} does not report primary keys: the step is always sent, which is harmless, and every member must answer it)";
        await output.WriteLineAsync($"step 2/{StepCount} make it primary: {use}").ConfigureAwait(false);

        List<GossipKey> others = [.. newKey is null ? listing.Keys : listing.Others(newKey)];
        await output.WriteLineAsync($"step 3/{StepCount} remove the other keys: {(others.Count == 0 ? "none" : "remove " + Fingerprints(others))}").ConfigureAwait(false);
    }

    /// <summary>Writes a generated key to a new file (never replacing one), mode 0600 from its creation, named after its fingerprint.</summary>
    private static string WriteKeyFile(string directory, GossipKey key)
    {
        string path = Path.Combine(directory, "consul-gossip-key-" + key.Fingerprint["sha256:".Length..]);
        byte[] text = Encoding.ASCII.GetBytes(key.ToBase64() + "\n");
        try
        {
            using AtomicFile file = AtomicFile.Create(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            file.Stream.Write(text);
            file.Commit(overwrite: false);
            return file.Path;
        }
        catch (IOException e)
        {
            throw new PackageException($"could not write the new key to {path}: {MessageText.Flatten(e.Message)}; nothing was changed") { Setting = KeyringSettings.NewKey };
        }
        catch (UnauthorizedAccessException)
        {
            throw new PackageException($"could not write the new key to {path}: permission denied; run where a new file can be created; nothing was changed") { Setting = KeyringSettings.NewKey };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(text);
        }
    }

    private static string Fingerprints(IEnumerable<GossipKey> keys) =>
        string.Join(", ", keys.Select(k => k.Fingerprint)) is { Length: > 0 } list ? list : "no key";

    /// <summary>One run of the three steps against the cluster, keeping the last keyring seen to say where it stands.</summary>
    private sealed class Rotation(
        ConsulApi api, KeyringRotationOptions options, TextWriter output, TextWriter warnings, GossipKey newKey, string? keyFile, KeyringListing listing)
    {
        private KeyringListing _listing = listing;

        /// <summary>Often enough to finish soon after the cluster does, rarely enough not to flood it with broadcasts.</summary>
        private TimeSpan Interval => TimeSpan.FromTicks(Math.Clamp(options.Timeout.Ticks / 20, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(2).Ticks));

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            if (_listing.EveryMemberHolds(newKey))
            {
                await SayAsync(1, "install the new key", $"skipped, already on {Holding(_listing)}").ConfigureAwait(false);
            }
            else
            {
                await StepAsync(1, "install the new key", "hold it",
                    (_, token) => api.ChangeAsync(KeyringChange.Install, newKey, token),
                    (l, _) => l.EveryMemberHolds(newKey), Holding, cancellationToken).ConfigureAwait(false);
            }

            if (_listing.EveryMemberUses(newKey))
            {
                await SayAsync(2, "make it primary", $"skipped, already primary on {Primary(_listing)}").ConfigureAwait(false);
            }
            else
            {
                // Where primary keys are not reported, only the agents' answer to the change says every member took it.
                await StepAsync(2, "make it primary", "use it",
                    (_, token) => api.ChangeAsync(KeyringChange.Use, newKey, token),
                    (l, accepted) => l.ReportsPrimary ? l.EveryMemberUses(newKey) : accepted,
                    l => l.ReportsPrimary ? Primary(l) : "every member answered (this Consul does not report primary keys)",
                    cancellationToken).ConfigureAwait(false);
            }

            List<GossipKey> others = [.. _listing.Others(newKey)];
            await StepAsync(3, $"remove the other keys ({Fingerprints(others)})", "hold only the new key",
                async (l, token) =>
                {
                    foreach (GossipKey other in l.Others(newKey))
                    {
                        await api.ChangeAsync(KeyringChange.Remove, other, token).ConfigureAwait(false);
                    }
                },
                (l, _) => l.EveryMemberHoldsOnly(newKey), l => $"only the new key on {Holding(l)}", cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(
                $"rotated: every member of every pool holds only {newKey.Fingerprint}. Agents keep it in their keyring; configs of nodes set up from now on need it (encrypt){(keyFile is null ? "" : $", from {keyFile}")}").ConfigureAwait(false);
        }

        private string Holding(KeyringListing l) => l.Count(p => p.Holding(newKey));

        private string Primary(KeyringListing l) => l.Count(p => p.UsingAsPrimary(newKey));

        private Task SayAsync(int number, string title, string text) => output.WriteLineAsync($"step {number}/{StepCount} {title}: {text}");

        /// <summary>Sends the change, then lists the keyring until <paramref name="done"/>, sending again between listings.</summary>
        /// <param name="goal">What every member must do, for the waiting line ("hold it").</param>
        /// <param name="done">The listing and whether the last send was taken by every member.</param>
        private async Task StepAsync(
            int number, string title, string goal, Func<KeyringListing, CancellationToken, Task> send, Func<KeyringListing, bool, bool> done,
            Func<KeyringListing, string> progress, CancellationToken cancellationToken)
        {
            using var deadline = new CancellationTokenSource(options.Timeout, options.Time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            KeyringRefusal? refusal = null;
            bool saidWaiting = false;
            try
            {
                while (true)
                {
                    bool accepted = true;
                    try
                    {
                        await send(_listing, linked.Token).ConfigureAwait(false);
                        refusal = null;
                    }
                    catch (KeyringRefusal e)
                    {
                        accepted = false;
                        refusal = e;
                    }

                    bool listed = true;
                    try
                    {
                        _listing = await api.ListAsync(linked.Token).ConfigureAwait(false);
                    }
                    catch (KeyringRefusal e)
                    {
                        listed = false;
                        refusal ??= e;
                    }

                    if (listed && done(_listing, accepted))
                    {
                        await SayAsync(number, title, $"done, {progress(_listing)}").ConfigureAwait(false);
                        return;
                    }

                    if (!saidWaiting)
                    {
                        saidWaiting = true;
                        await SayAsync(number, title, $"sent; waiting up to {Seconds(options.Timeout)} s for every member to {goal} (now {progress(_listing)})").ConfigureAwait(false);
                    }

                    await Task.Delay(Interval, options.Time, linked.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                string laggards = await LaggardsAsync(refusal, cancellationToken).ConfigureAwait(false);
                throw new PackageException(
                    $"step {number}/{StepCount} ({title}) timed out after {Seconds(options.Timeout)} s: not every member did ({progress(_listing)}); {laggards}; {Stands()}; {Resume()}")
                {
                    Setting = KeyringSettings.Timeout,
                };
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped by a signal: some members may already have done this step, so say where
                // the cluster stands before the command's own last line.
                await warnings.WriteLineAsync($"consul-pkg: keyring rotate interrupted in step {number}/{StepCount} ({title}); {Stands()}; {Resume()}").ConfigureAwait(false);
                throw;
            }
            catch (PackageException e) when (e is not KeyringRefusal)
            {
                throw new PackageException($"{e.Message.TrimEnd('.')}; stopped in step {number}/{StepCount} ({title}); {Stands()}; {Resume()}") { Setting = e.Setting };
            }
        }

        /// <summary>Who Consul named as failing, and the members not alive; Consul's API names no member that stays silent.</summary>
        private async Task<string> LaggardsAsync(KeyringRefusal? refusal, CancellationToken cancellationToken)
        {
            var named = new List<string>();
            if (refusal is not null)
            {
                named.AddRange(refusal.MemberErrors.Select(m => $"{m.Key} ({m.Value})"));
            }

            named.AddRange((await AbsentMembersAsync(api, _listing, cancellationToken).ConfigureAwait(false)).Select(m => $"{m.Name} ({m.StatusName})"));
            string pools = refusal is { PoolErrors.Count: > 0 } ? $" (Consul: {string.Join("; ", refusal.PoolErrors)})" : "";
            return named.Count > 0
                ? $"lagging: {string.Join(", ", named)}{pools}"
                : $"Consul names no lagging member{pools}: one that stays silent is not named by its API; 'consul members' on a server shows who is unreachable";
        }

        /// <summary>Where the cluster stands, from the last keyring seen.</summary>
        private string Stands() =>
            $"the cluster stands (as last listed): new key {newKey.Fingerprint} on {Holding(_listing)}, primary on "
            + (_listing.ReportsPrimary ? Primary(_listing) : "(not reported by this Consul)")
            + $", other keys: {Fingerprints(_listing.Others(newKey)).Replace("no key", "none", StringComparison.Ordinal)}";

        private string Resume() => keyFile is null
            ? "run the same command again to resume"
            : $"run the same command again with the new key file {keyFile} to resume";

        private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
