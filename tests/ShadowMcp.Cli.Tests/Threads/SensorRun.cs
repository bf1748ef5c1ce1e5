using System.Diagnostics;
using System.Globalization;
using ShadowMcp.Tests;

namespace ShadowMcp.Cli.Tests.Threads;

/// <summary>A running sensor process: waits for lines on its stderr, stops it with a signal, collects what it printed.</summary>
internal sealed class SensorRun : IDisposable
{
    private readonly List<string> _stderr = [];
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];

    public SensorRun(Process process)
    {
        Process = process;
        Stdout = process.StandardOutput.ReadToEndAsync();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.Add(e.Data);
                foreach (var (text, seen) in _waits)
                    if (e.Data.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
            }
        };
        process.BeginErrorReadLine();
    }

    public Process Process { get; }
    public Task<string> Stdout { get; }

    public string Stderr
    {
        get { lock (_stderr) return string.Join("\n", _stderr); }
    }

    /// <summary>Completes when the sensor writes (or has written) a stderr line containing <paramref name="text"/>.</summary>
    public Task WaitForStderr(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stderr)
        {
            if (_stderr.Any(l => l.Contains(text, StringComparison.Ordinal))) seen.SetResult();
            else _waits.Add((text, seen));
        }
        return seen.Task;
    }

    /// <summary>
    /// Waits for <paramref name="task"/>; fails at once if the sensor exits first. The time limit is a hang guard
    /// only, so that a broken build cannot block CI.
    /// </summary>
    public async Task WhileRunning(Task task, string what)
    {
        var exited = Process.WaitForExitAsync();
        var done = await Task.WhenAny(task, exited, Task.Delay(120_000));
        Assert.That(done, Is.SameAs(task), () => $"{what}{(done == exited ? " (the sensor exited)" : "")}:\n{Stderr}");
    }

    /// <summary>Sends a stop signal the way an operator or systemd does, with kill(1).</summary>
    public void Signal(string name)
    {
        ExternalTools.RequireIntegrationLane("kill");
        var pid = Process.Id.ToString(CultureInfo.InvariantCulture);
        Assert.That(SignalIgnored(pid, name), Is.False,
            $"the sensor ignores SIG{name} (inherited from a shell's `cmd &` or nohup); run the tests in the foreground");
        using var kill = Process.Start("kill", ["-" + name, pid]);
        kill.WaitForExit();
        Assert.That(kill.ExitCode, Is.Zero, $"kill -{name} failed");
    }

    private static bool SignalIgnored(string pid, string name)
    {
        var number = name switch { "INT" => 2, "TERM" => 15, _ => 0 };
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        var mask = ulong.Parse(line["SigIgn:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return number > 0 && (mask & (1UL << (number - 1))) != 0;
    }

    public async Task<int> WaitForExitAsync()
    {
        var exited = Process.WaitForExitAsync();
        Assert.That(await Task.WhenAny(exited, Task.Delay(120_000)), Is.SameAs(exited), () => $"sensor did not exit:\n{Stderr}");
        return Process.ExitCode;
    }

    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill();
        Process.Dispose();
    }
}
