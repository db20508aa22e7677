#:project ../src/ConsulPkg.Fpm/ConsulPkg.Fpm.csproj
#:package Scriban.Signed
#:property PublishAot=false

// The two ways to render fpm's --template-scripts, for build/bench-templates.sh:
//   direct  - FpmScriptTemplate.Render, the product's: values pasted between the script's bytes;
//   scriban - what it replaced: the ERB turned into a Scriban template of table lookups and
//             escaped literals, parsed and rendered by Scriban (kept here only to be measured).
// Usage: bench-templates MODE COUNT   (MODE direct or scriban; prints the median of COUNT renders
// in microseconds after the first, and the first render's time, which a one-shot CLI pays).
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ConsulPkg.Fpm;
using Scriban;
using Scriban.Runtime;

string mode = args[0];
int count = int.Parse(args[1], CultureInfo.InvariantCulture);
var values = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["name"] = "tool", ["version"] = "1.0", ["iteration"] = "2", ["architecture"] = "amd64",
    ["flavour"] = "vanilla", ["user"] = "tool", ["prefix"] = "/",
};
// A realistic templated postinst: a few dozen lines, a handful of tags, shell braces.
var sb = new StringBuilder("#!/bin/sh\nset -e\n");
for (int i = 0; i < 12; i++)
{
    sb.Append("if [ \"$1\" = configure ]; then\n    echo \"<%= name %> <%= version %>-<%= iteration %> on <%= architecture %>\"\n")
      .Append("    chown <%= user %>:<%= user %> /var/lib/<%= name %> || { echo failed >&2; exit 1; }\n    : \"${HOME:-/root}\" # {{ not a tag }}\nfi\n");
}

byte[] script = Encoding.UTF8.GetBytes(sb.ToString());
Func<byte[]> render = mode switch
{
    "direct" => () => FpmScriptTemplate.Render(script, values, "--after-install", "postinst"),
    "scriban" => () => ScribanRender(script, values),
    _ => throw new ArgumentException("mode: direct or scriban"),
};

var first = Stopwatch.StartNew();
byte[] output = render();
double firstMs = first.Elapsed.TotalMilliseconds;
if (!output.AsSpan().SequenceEqual(FpmScriptTemplate.Render(script, values, "--after-install", "postinst")))
{
    throw new InvalidOperationException("the two renderers disagree");
}

var times = new List<double>();
for (int i = 0; i < count; i++)
{
    var watch = Stopwatch.StartNew();
    render();
    times.Add(watch.Elapsed.TotalMicroseconds);
}

times.Sort();
Console.WriteLine(FormattableString.Invariant($"{mode} first={firstMs:F1}ms median={times[times.Count / 2]:F1}us bytes={output.Length}"));

static byte[] ScribanRender(byte[] script, IReadOnlyDictionary<string, string> values)
{
    string text = Encoding.UTF8.GetString(script);
    var scriban = new StringBuilder();
    var literal = new StringBuilder();
    int position = 0;
    while (position < text.Length)
    {
        int open = text.IndexOf("<%", position, StringComparison.Ordinal);
        if (open < 0)
        {
            literal.Append(text, position, text.Length - position);
            break;
        }

        literal.Append(text, position, open - position);
        int close = text.IndexOf("%>", open + 2, StringComparison.Ordinal);
        string name = Regex.Match(text[(open + 2)..close], @"^=\s*@?(?<n>\w+)\s*$").Groups["n"].Value;
        Flush(scriban, literal);
        scriban.Append("{{ fpm[\"").Append(name).Append("\"] }}");
        position = close + 2;
    }

    Flush(scriban, literal);
    Template template = Template.Parse(scriban.ToString());
    var table = new ScriptObject();
    foreach ((string key, string value) in values)
    {
        table[key] = value;
    }

    var context = new TemplateContext { StrictVariables = true };
    context.PushGlobal(new ScriptObject { ["fpm"] = table });
    return Encoding.UTF8.GetBytes(template.Render(context));

    static void Flush(StringBuilder output, StringBuilder literal)
    {
        string text = literal.ToString();
        literal.Clear();
        if (!text.Contains("{{", StringComparison.Ordinal) && !text.Contains("{%", StringComparison.Ordinal))
        {
            output.Append(text);
            return;
        }

        output.Append("{{ \"").Append(text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\t", "\\t")).Append("\" }}");
    }
}
