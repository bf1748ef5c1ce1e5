using System.CommandLine;

namespace ShadowMcp.Cli.Commands;

/// <summary>
/// <c>--threads N</c> of <c>scan</c> and <c>sensor</c>: how many workers share a capture's flows (by a symmetric
/// 5-tuple hash); results are the same whatever N (Scanner/Sharding/README.md). Default 1, the one-thread path:
/// measured on 2 cores, two workers cost 15-70 % more CPU and were not faster (emissions are recorded and merged,
/// aggregation stays on one thread), so more threads is an opt-in until it pays (README, Performance).
/// </summary>
internal static class ThreadsOption
{
    public static Option<int> Create()
    {
        var threads = new Option<int>("--threads")
        {
            Description = "Worker threads; flows are split among them by their 5-tuple, results do not change "
                + $"(default 1; this machine has {Environment.ProcessorCount} cores)",
            DefaultValueFactory = _ => 1,
        };
        threads.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
                r.AddError($"--threads must be 1 or more (got {r.GetValueOrDefault<int>()}); leave it out for one thread");
        });
        return threads;
    }
}
