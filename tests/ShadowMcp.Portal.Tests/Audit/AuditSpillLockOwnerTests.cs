using System.Diagnostics;
using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Tests.Fixtures;
using ShadowMcp.Tests;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// The fallback file's lock file made by someone else: `sudo shadowmcp audit import` creates it as root, 0644, and
/// the portal (its own user) can then only read it. A spill must still lock and write, or every row of every later
/// shutdown with the store down is lost.
/// </summary>
[Category(ExternalTools.IntegrationCategory)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AuditSpillLockOwnerTests
{
    private string? _immutable;

    [TearDown]
    public void TearDown()
    {
        if (_immutable is not null) Run("chattr", "-i", _immutable);
    }

    [Test]
    public async Task Append_LockFileThisUserCannotWrite_StillLocksAndWrites()
    {
        var file = Path.Combine(TempDir.Create(), AuditLog.FallbackFileName);
        var lockFile = file + AuditSpillLock.Suffix;
        File.WriteAllBytes(lockFile, []);
        MakeUnwritable(lockFile);
        var rows = AuditSpillConcurrentWritersTests.Batch(0, 0, rowLength: 10);

        await AuditSpillWriter.AppendAsync(file, rows, TimeSpan.FromSeconds(10), TimeProvider.System);

        Assert.That(File.ReadAllLines(file).Select(l => AuditSpillFile.Parse(System.Text.Encoding.UTF8.GetBytes(l)).Record.User),
            Is.EqualTo(rows.Select(r => r.Record.User)));
        // And it still keeps others out while held.
        using var held = await AuditSpillLock.TakeAsync(file, TimeSpan.Zero, TimeProvider.System);
        Assert.That(async () => await AuditSpillLock.TakeAsync(file, TimeSpan.Zero, TimeProvider.System), Throws.InstanceOf<TimeoutException>());
    }

    // Read-only for everyone; root writes past modes, so for root the file is made immutable as well.
    private void MakeUnwritable(string path)
    {
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        if (Environment.IsPrivilegedProcess)
        {
            Run("chattr", "+i", path);
            _immutable = path;
        }
        Assert.That(() => new FileStream(path, FileMode.Open, FileAccess.ReadWrite).Dispose(), Throws.InstanceOf<UnauthorizedAccessException>(),
            "the lock file is not writable for this test's user");
    }

    private static void Run(string tool, params string[] args)
    {
        ExternalTools.Require("apt-get install e2fsprogs", tool);
        using var process = Process.Start(tool, args);
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{tool} {string.Join(' ', args)}");
    }
}
