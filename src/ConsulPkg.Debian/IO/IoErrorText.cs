namespace ConsulPkg.Debian.IO;

/// <summary>
/// The reason part of an IO error, without the path .NET repeats in its messages, so that a
/// message can name the path once: "cannot read 'x': no such file".
/// </summary>
public static class IoErrorText
{
    public static string Reason(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException => "permission denied",
        _ => exception.Message,
    };
}
