namespace ConsulPkg.Debian;

/// <summary>
/// A cancelled operation that leaves something behind on purpose (a generated key that a rerun
/// needs, changes already sent to a cluster), where every other cancelled operation removes what
/// it wrote. <see cref="Leaves"/> says what, so the line that reports the interruption is true.
/// </summary>
public sealed class InterruptedException : OperationCanceledException
{
    public InterruptedException() : this("nothing was written") { }

    public InterruptedException(string leaves) : base(leaves) => Leaves = leaves;

    public InterruptedException(string leaves, Exception innerException) : base(leaves, innerException) => Leaves = leaves;

    public InterruptedException(string leaves, Exception innerException, CancellationToken token) : base(leaves, innerException, token) => Leaves = leaves;

    /// <summary>What the interruption leaves, as the end of a sentence ("the new key's file /x was written ...").</summary>
    public string Leaves { get; }
}
