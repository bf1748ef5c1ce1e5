using System.Diagnostics;
using System.Globalization;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests.Fleet;

/// <summary>
/// A long-running program (a `shadowmcp portal`, HAProxy) started for a test: its output is kept for failure
/// messages, a test can await a line it prints, stop it with SIGTERM and await its exit. Disposing kills what is
/// still running.
/// </summary>
internal sealed class BackgroundProcess : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly List<(Func<string, bool> Matches, TaskCompletionSource Seen)> _waits = [];

    private BackgroundProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public string Output
    {
        get { lock (_output) return $"--- {Name}:\n" + string.Join("\n", _output); }
    }

    /// <summary>
    /// Starts <paramref name="program"/>; <paramref name="ready"/> is a line it prints once it serves (null: a
    /// program that prints nothing then, whose caller waits for its port instead).
    /// </summary>
    public static async Task<BackgroundProcess> StartAsync(string name, string program, IEnumerable<string> args,
        Func<string, bool>? ready, IReadOnlyDictionary<string, string>? environment = null)
    {
        ExternalTools.RequireIntegrationLane(program);
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        psi.Environment.Remove("SHADOWMCP_DB");
        var started = new BackgroundProcess(name, new Process { StartInfo = psi });
        var seen = ready is null ? Task.CompletedTask : started.WaitFor(ready);
        started._process.Start();
        started._process.BeginOutputReadLine();
        started._process.BeginErrorReadLine();
        if (ready is null) return started;
        // Either it says it serves, or it exits (a bad config, a port taken): fail with what it printed.
        await started.Within(Task.WhenAny(seen, started._process.WaitForExitAsync()), "did not start");
        if (!seen.IsCompleted)
            Assert.Fail($"{name} exited with {started._process.ExitCode} before it served\n{started.Output}");
        return started;
    }

    /// <summary>A shadowmcp command run by the built CLI, as a user would start it.</summary>
    public static Task<BackgroundProcess> StartCliAsync(string name, IEnumerable<string> args,
        Func<string, bool> ready, IReadOnlyDictionary<string, string>? environment = null) =>
        StartAsync(name, "dotnet", new[] { RepoPaths.CliDll }.Concat(args), ready, environment);

    public Task WaitFor(Func<string, bool> matches)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.Any(matches)) seen.SetResult();
            else _waits.Add((matches, seen));
        }
        return seen.Task;
    }

    /// <summary>SIGTERM, as systemd stops a service, then the exit code once it has shut down.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        await Within(_process.WaitForExitAsync(), "did not stop after SIGTERM");
        return _process.ExitCode;
    }

    private async Task Within(Task task, string what)
    {
        if (await Task.WhenAny(task, Task.Delay(HangGuard)) != task) Assert.Fail($"{Name} {what}\n{Output}");
        await task;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Add(line);
            foreach (var wait in _waits.Where(w => w.Matches(line)).ToList())
            {
                wait.Seen.TrySetResult();
                _waits.Remove(wait);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { /* never started */ }
        _process.Dispose();
    }
}
