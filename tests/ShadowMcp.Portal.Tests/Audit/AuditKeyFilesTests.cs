using ShadowMcp.Portal.Audit;
using ShadowMcp.Portal.Config;
using ShadowMcp.Portal.Tests.Fixtures;

namespace ShadowMcp.Portal.Tests.Audit;

/// <summary>
/// The audit keys live in files beside the store, created on first start. Replicas that share a key folder start
/// together, and a key that is half written, empty or replaced by a second writer would either stop a replica or
/// make its rows unverifiable by the others.
/// </summary>
public sealed class AuditKeyFilesTests
{
    [Test]
    public void ReplicasStartingTogether_AllUseTheOneKeyThatWasWritten()
    {
        var dir = TempDir.Create();
        const int replicas = 12;
        using var start = new Barrier(replicas);
        var keys = new AuditKeys[replicas];
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, replicas).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                keys[i] = AuditKeys.LoadOrCreate(new AuditSettings(), dir);
            }
            catch (Exception ex)
            {
                lock (errors) errors.Add(ex);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.That(errors, Is.Empty);
        var onDisk = AuditKeys.Beside(dir);
        Assert.Multiple(() =>
        {
            Assert.That(keys.Select(k => Convert.ToHexString(k.HmacKey!)).Distinct(), Is.EqualTo(new[] { Convert.ToHexString(onDisk.HmacKey!) }));
            Assert.That(keys.Select(k => Convert.ToHexString(k.PublicKey!.GetEncoded())).Distinct(),
                Is.EqualTo(new[] { Convert.ToHexString(onDisk.PublicKey!.GetEncoded()) }));
            Assert.That(Directory.GetFiles(dir, "*.tmp"), Is.Empty, "no temporary key file is left behind");
        });
    }

    [TestCase("")]
    [TestCase("00")]
    [TestCase("not a key")]
    public void AnEmptyShortOrGarbledKeyFile_IsRefusedByName_NeverUsed(string content)
    {
        var dir = TempDir.Create();
        var path = Path.Combine(dir, AuditKeys.DefaultKeyName);
        File.WriteAllText(path, content);

        var error = Assert.Throws<InvalidOperationException>(() => AuditKeys.LoadOrCreate(new AuditSettings(), dir));
        Assert.That(error!.Message, Does.StartWith(path));
        Assert.That(File.ReadAllText(path), Is.EqualTo(content), "a refused key file is left as it was for the operator");
    }

    [Test]
    public void ATruncatedSigningSeed_IsRefused()
    {
        var dir = TempDir.Create();
        var path = Path.Combine(dir, AuditKeys.DefaultSigningKeyName);
        File.WriteAllText(path, new string('a', 40)); // 20 bytes: a key, but not an Ed25519 seed

        var error = Assert.Throws<InvalidOperationException>(() => AuditKeys.LoadOrCreate(new AuditSettings(), dir));
        Assert.That(error!.Message, Does.StartWith(path).And.Contain("32 bytes"));
    }
}
