using System.CommandLine;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// <c>--threads N</c>: how many workers share a capture's flows (by a symmetric 5-tuple hash). Default: every
/// core. 1 is the one-thread path; results are the same whatever N (Scanner/Sharding/README.md).
/// </summary>
internal static class ThreadsOption
{
    public static Option<int> Create()
    {
        var threads = new Option<int>("--threads")
        {
            Description = "Worker threads; flows are split among them by their 5-tuple, results do not change "
                + $"(default: all cores, {Environment.ProcessorCount} here; 1 = one thread)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        threads.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
                r.AddError($"--threads must be 1 or more (got {r.GetValueOrDefault<int>()}); leave it out to use all "
                    + $"{Environment.ProcessorCount} cores");
        });
        return threads;
    }
}
