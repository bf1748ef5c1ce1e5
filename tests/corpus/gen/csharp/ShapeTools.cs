using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace ShadowMcp.Corpus;

/// <summary>
/// Tools for the shape corpus only (--shape-tools): a large result and a long task with progress notifications,
/// the same behaviours the TypeScript corpus server offers, so the C# sessions can have them too.
/// </summary>
[McpServerToolType]
internal sealed class ShapeTools
{
    [McpServerTool(Name = "fetch_doc"), Description("Returns a document of the given size.")]
    public static string FetchDoc(int size)
    {
        const string word = "lorem ipsum ";
        var text = string.Concat(Enumerable.Repeat(word, (size / word.Length) + 1));
        return text[..size];
    }

    [McpServerTool(Name = "long_task"), Description("Works with progress.")]
    public static async Task<string> LongTask(int steps, int delay_ms, IProgress<ProgressNotificationValue> progress,
        CancellationToken cancellationToken)
    {
        for (var i = 1; i <= steps; i++)
        {
            await Task.Delay(delay_ms, cancellationToken);
            progress.Report(new ProgressNotificationValue { Progress = i, Total = steps });
        }

        return $"done {steps}";
    }
}
