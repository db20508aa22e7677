using System.Globalization;
using ConsulPkg.Debian.Scripts;
using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace ConsulPkg.Consul;

/// <summary>
/// The templates' <c>snippet</c> function: <c>{{ snippet "postrm-systemd" { UNITFILES: unit_name } }}</c>
/// renders one of the shared maintainer-script snippets (<see cref="ScriptSnippets"/>) with its
/// tokens. An unknown snippet or a missing or unknown token is a template error naming the file
/// and line. Written against Scriban's function interface rather than imported from a delegate:
/// the import reflects over the method, which the NativeAOT executable cannot.
/// </summary>
internal sealed class SnippetFunction : IScriptCustomFunction
{
    public const string Name = "snippet";

    public int RequiredParameterCount => 1;

    public int ParameterCount => 2;

    public ScriptVarParamKind VarParamKind => ScriptVarParamKind.None;

    public Type ReturnType => typeof(string);

    public ScriptParameterInfo GetParameterInfo(int index) => index switch
    {
        0 => new ScriptParameterInfo(typeof(string), "name"),
        1 => new ScriptParameterInfo(typeof(ScriptObject), "tokens"),
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, null),
    };

    public object? Invoke(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement)
    {
        ArgumentNullException.ThrowIfNull(callerContext);
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count is < 1 or > 2 || arguments[0] is not string name)
        {
            throw new ScriptRuntimeException(callerContext.Span,
                $"{Name} takes a snippet name and its tokens, e.g. {Name} \"postrm-systemd\" {{ UNITFILES: unit_name }}");
        }

        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        // Scriban passes a missing optional argument as null.
        if (arguments.Count == 2 && arguments[1] is not null)
        {
            if (arguments[1] is not IDictionary<string, object?> given)
            {
                throw new ScriptRuntimeException(callerContext.Span,
                    $"{Name} \"{name}\": give the tokens as an object, e.g. {{ UNITFILES: unit_name }}");
            }

            foreach ((string token, object? value) in given)
            {
                tokens[token] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            }
        }

        try
        {
            return ScriptSnippets.Render(name, tokens);
        }
        catch (ArgumentException exception)
        {
            throw new ScriptRuntimeException(callerContext.Span, exception.Message);
        }
    }

    public ValueTask<object?> InvokeAsync(TemplateContext context, ScriptNode? callerContext, ScriptArray arguments, ScriptBlockStatement? blockStatement) =>
        ValueTask.FromResult(Invoke(context, callerContext, arguments, blockStatement));
}
