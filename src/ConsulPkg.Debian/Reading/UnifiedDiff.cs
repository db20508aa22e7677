using System.Globalization;
using System.Text;

namespace ConsulPkg.Debian.Reading;

/// <summary>
/// A line diff in the unified format of <c>diff -u</c>: the shortest edit script (E. Myers, "An
/// O(ND) Difference Algorithm", 1986), then hunks with three lines of context, a range of one
/// line written without its count and an empty range numbered from the line before it, and
/// "\ No newline at end of file" after a last line without one.
/// </summary>
public static class UnifiedDiff
{
    private const int Context = 3;

    /// <summary>The diff of two texts under the names given; "" when they are equal.</summary>
    public static string Create(string oldText, string newText, string oldName, string newName)
    {
        ArgumentNullException.ThrowIfNull(oldText);
        ArgumentNullException.ThrowIfNull(newText);
        if (oldText == newText)
        {
            return "";
        }
        string[] a = SplitLines(oldText);
        string[] b = SplitLines(newText);
        List<(char Op, int A, int B)> script = EditScript(a, b);
        var output = new StringBuilder();
        output.Append("--- ").Append(oldName).Append('\n').Append("+++ ").Append(newName).Append('\n');
        int i = 0;
        while (i < script.Count)
        {
            if (script[i].Op == ' ')
            {
                i++;
                continue;
            }
            int start = Math.Max(0, i - Context);
            int end = i;
            // Extend the hunk while the next change is within twice the context.
            while (end < script.Count)
            {
                int next = end;
                while (next < script.Count && script[next].Op == ' ')
                {
                    next++;
                }
                if (next == script.Count || next - end > 2 * Context)
                {
                    end = Math.Min(script.Count, end + Context);
                    break;
                }
                end = next + 1;
                while (end < script.Count && script[end].Op != ' ')
                {
                    end++;
                }
            }
            WriteHunk(output, script, start, end, a, b);
            i = end;
        }
        return output.ToString();
    }

    private static void WriteHunk(StringBuilder output, List<(char Op, int A, int B)> script, int start, int end, string[] a, string[] b)
    {
        int aStart = script[start].A, bStart = script[start].B;
        int aCount = 0, bCount = 0;
        for (int k = start; k < end; k++)
        {
            aCount += script[k].Op is ' ' or '-' ? 1 : 0;
            bCount += script[k].Op is ' ' or '+' ? 1 : 0;
        }
        output.Append("@@ -").Append(Range(aStart, aCount)).Append(" +").Append(Range(bStart, bCount)).Append(" @@\n");
        for (int k = start; k < end; k++)
        {
            (char op, int ai, int bi) = script[k];
            string line = op == '+' ? b[bi] : a[ai];
            bool last = op == '+' ? bi == b.Length - 1 : ai == a.Length - 1;
            output.Append(op).Append(line.EndsWith('\n') ? line : line + "\n");
            if (!line.EndsWith('\n') && last)
            {
                output.Append("\\ No newline at end of file\n");
            }
        }
    }

    private static string Range(int start, int count) => count switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"{start},0"),
        1 => (start + 1).ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{start + 1},{count}"),
    };

    /// <summary>Lines with their newlines; the last may have none.</summary>
    private static string[] SplitLines(string text)
    {
        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return [.. lines];
    }

    /// <summary>Myers' greedy forward search; each step is ' ' (both), '-' (a only) or '+' (b only), with the lines' indices.</summary>
    private static List<(char Op, int A, int B)> EditScript(string[] a, string[] b)
    {
        int n = a.Length, m = b.Length, max = n + m;
        var trace = new List<int[]>();
        int[] v = new int[(2 * max) + 2];
        bool done = false;
        for (int d = 0; d <= max && !done; d++)
        {
            trace.Add((int[])v.Clone());
            for (int k = -d; k <= d; k += 2)
            {
                int x = k == -d || (k != d && v[max + k - 1] < v[max + k + 1]) ? v[max + k + 1] : v[max + k - 1] + 1;
                int y = x - k;
                while (x < n && y < m && a[x] == b[y])
                {
                    x++;
                    y++;
                }
                v[max + k] = x;
                if (x >= n && y >= m)
                {
                    done = true;
                    break;
                }
            }
        }
        var script = new List<(char, int, int)>();
        int cx = n, cy = m;
        for (int d = trace.Count - 1; d >= 0; d--)
        {
            int[] vd = trace[d];
            int k = cx - cy;
            int prevK = k == -d || (k != d && vd[max + k - 1] < vd[max + k + 1]) ? k + 1 : k - 1;
            int prevX = d == 0 ? 0 : vd[max + prevK];
            int prevY = d == 0 ? 0 : prevX - prevK;
            while (cx > prevX && cy > prevY)
            {
                cx--;
                cy--;
                script.Add((' ', cx, cy));
            }
            if (d > 0)
            {
                if (cx == prevX)
                {
                    cy--;
                    script.Add(('+', cx, cy));
                }
                else
                {
                    cx--;
                    script.Add(('-', cx, cy));
                }
            }
        }
        script.Reverse();
        return script;
    }
}
