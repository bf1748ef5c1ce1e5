using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ShadowMcp.Cli.Commands;

/// <summary>Logs go to stderr so that stdout stays a clean table or JSON document.</summary>
internal static class Logging
{
    public static ILoggerFactory Create(bool verbose)
    {
        var minimum = verbose ? LogLevel.Information : LogLevel.Warning;
        return new DeferredLoggerFactory(minimum, () => LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(minimum)
             .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning)
             .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = null; });
            b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }));
    }
}
