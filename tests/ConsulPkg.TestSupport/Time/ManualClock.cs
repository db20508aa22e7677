namespace ConsulPkg.Testing.Time;

/// <summary>
/// A clock that moves only when the test says so: timeouts and deadlines fire at
/// <see cref="Advance"/>, never because the machine happened to be slow.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<Timer> _timers = [];
    private readonly List<(Func<TimeSpan, bool> Which, TaskCompletionSource<TimeSpan> Armed)> _waiters = [];
    // Starts at the real time: the release's signature, made now, is judged at this clock's time.
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Completes, with the time left on it, once a timer armed for a span that <paramref name="which"/>
    /// accepts is pending (at once if one is): the code under test is then waiting on this clock,
    /// which is the moment to <see cref="Advance"/> it.
    /// </summary>
    public Task<TimeSpan> WhenArmed(Func<TimeSpan, bool> which)
    {
        lock (_lock)
        {
            if (_timers.FirstOrDefault(t => t.DueAt != DateTimeOffset.MaxValue && which(t.ArmedFor)) is { } pending)
            {
                return Task.FromResult(pending.DueAt - _now);
            }

            var armed = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((which, armed));
            return armed.Task;
        }
    }

    /// <summary>Moves the clock on and runs, on this thread, every timer that falls due (a periodic one once, then again a period from now).</summary>
    public void Advance(TimeSpan by)
    {
        List<Timer> due;
        lock (_lock)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt <= _now).ToList();
            foreach (Timer timer in due)
            {
                timer.DueAt = timer.Period is { } period ? _now + period : DateTimeOffset.MaxValue;
            }
        }

        foreach (Timer timer in due)
        {
            timer.Fire();
        }
    }

    private sealed class Timer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; } = DateTimeOffset.MaxValue;

        /// <summary>The due time it was last armed with.</summary>
        public TimeSpan ArmedFor { get; private set; } = Timeout.InfiniteTimeSpan;

        /// <summary>Null for a one-shot timer (the downloader's).</summary>
        public TimeSpan? Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : clock._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
                if (!clock._timers.Contains(this))
                {
                    clock._timers.Add(this);
                }

                ArmedFor = dueTime;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    foreach ((Func<TimeSpan, bool> which, TaskCompletionSource<TimeSpan> armed) in clock._waiters.Where(w => w.Which(dueTime)).ToList())
                    {
                        clock._waiters.Remove((which, armed));
                        armed.SetResult(dueTime); // continues elsewhere (RunContinuationsAsynchronously), not under the lock
                    }
                }
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
