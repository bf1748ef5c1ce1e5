using Acornima.Ast;
using Jint;

namespace ShadowMcp.Portal.CodeMode;

/// <summary>
/// The submitted code must be exactly one function expression. It is parsed inside `( … )` and refused unless
/// the program is that single expression, so code cannot close the parenthesis and run statements of its own
/// before the portal calls it, nor open a comment or template that swallows the wrapper.
/// </summary>
internal static class CodeShape
{
    public const string Expected = "code must be one JavaScript function expression, e.g. async () => { return 1; }";

    public static Prepared<Script> Prepare(string code)
    {
        var script = Engine.PrepareScript("(\n" + code + "\n)");
        var body = (script.Program ?? throw new CodeShapeException("SyntaxError: " + Expected)).Body;
        if (body.Count != 1 || body[0] is not ExpressionStatement { Expression: ArrowFunctionExpression or FunctionExpression })
            throw new CodeShapeException("SyntaxError: " + Expected);
        return script;
    }
}

/// <summary>The code is valid JavaScript but not the one function expression code mode runs.</summary>
internal sealed class CodeShapeException(string message) : Exception(message);
