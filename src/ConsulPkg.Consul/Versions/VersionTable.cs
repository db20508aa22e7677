namespace ConsulPkg.Consul.Versions;

/// <summary>
/// One fact that changes with the Consul version: its value for the oldest releases, then each
/// release where it changed and the new value, oldest first. <see cref="For"/> answers for any
/// version, a pre-release taking the value of its release (1.6.0-rc1 is treated as 1.6.0).
/// </summary>
internal sealed class VersionTable<T>
{
    private readonly (ReleaseVersion Since, T Value)[] _rows;

    public VersionTable(T initial, params (ReleaseVersion Since, T Value)[] changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        for (int i = 1; i < changes.Length; i++)
        {
            if (changes[i].Since <= changes[i - 1].Since)
            {
                throw new ArgumentException($"changes must be in ascending version order: {changes[i].Since} after {changes[i - 1].Since}", nameof(changes));
            }
        }

        _rows = [(ReleaseVersion.Of(0, 0), initial), .. changes];
    }

    public T For(ReleaseVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        ReleaseVersion release = ReleaseVersion.Of(version.Major, version.Minor, version.Patch);
        T value = _rows[0].Value;
        foreach ((ReleaseVersion since, T rowValue) in _rows)
        {
            if (release >= since)
            {
                value = rowValue;
            }
        }

        return value;
    }

    /// <summary>The first release for which <paramref name="predicate"/> holds, or null if none does.</summary>
    public ReleaseVersion? FirstWhere(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        foreach ((ReleaseVersion since, T value) in _rows)
        {
            if (predicate(value))
            {
                return since;
            }
        }

        return null;
    }
}
