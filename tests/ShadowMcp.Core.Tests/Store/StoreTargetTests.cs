using ShadowMcp.Core.Store;

namespace ShadowMcp.Core.Tests.Store;

public sealed class StoreTargetTests
{
    // DevSkim: ignore DS137138 (a made-up password that the tests check is never shown)
    private const string Secret = "s3cr3t-pw";

    [TestCase("/var/lib/shadowmcp/shadowmcp.db")]
    [TestCase("relative/store.db")]
    [TestCase("C:\\data\\store.db")]
    public void Parse_Path_IsSqliteAsGiven(string value)
    {
        var target = StoreTarget.Parse(value);
        Assert.That((target.Provider, target.Location, target.Display), Is.EqualTo((StoreProvider.Sqlite, value, value)));
    }

    [TestCase("postgres://shadow:" + Secret + "@db.example.com:6543/findings")]
    [TestCase("postgresql://shadow:" + Secret + "@db.example.com:6543/findings")]
    [TestCase("Host=db.example.com;Port=6543;Username=shadow;Password=" + Secret + ";Database=findings")]
    public void Parse_PostgresForms_SameServerAndMaskedDisplay(string value)
    {
        var target = StoreTarget.Parse(value);
        Assert.Multiple(() =>
        {
            Assert.That(target.Provider, Is.EqualTo(StoreProvider.Postgres));
            Assert.That(target.Display, Is.EqualTo("postgres://shadow:***@db.example.com:6543/findings"));
            Assert.That(target.ToString(), Does.Not.Contain(Secret));
            Assert.That(target.Server, Is.EqualTo("db.example.com:6543"));
            Assert.That(target.Location, Does.Contain("Password=" + Secret));
        });
    }

    [Test]
    public void Parse_UrlWithoutPortAndWithEscapesAndOptions_Defaults5432AndKeepsOptions()
    {
        var target = StoreTarget.Parse("postgres://sh%40dow:p%3Aw@db.example.com/find%20ings?sslmode=require");
        Assert.Multiple(() =>
        {
            Assert.That(target.Server, Is.EqualTo("db.example.com:5432"));
            Assert.That(target.Location, Does.Contain("Username=sh@dow").And.Contain("Password=p:w").And.Contain("Database=\"find ings\"")
                .Or.Contain("Database=find ings"));
            Assert.That(target.Location, Does.Contain("SSL Mode=Require"));
            Assert.That(target.Display, Is.EqualTo("postgres://sh%40dow:***@db.example.com:5432/find%20ings"));
        });
    }

    [TestCase("postgres://shadow:" + Secret + "@db.example.com:6543/")]
    [TestCase("postgres://shadow:" + Secret + "@db.example.com:6543/db?nonsense")]
    [TestCase("Host=db.example.com;Password=" + Secret + ";Bogus Keyword=1")]
    public void Parse_Malformed_StoreExceptionWithoutThePassword(string value)
    {
        var ex = Assert.Throws<StoreException>(() => StoreTarget.Parse(value));
        Assert.That(ex!.Message, Does.Not.Contain(Secret).And.Contain("***"));
    }

    // Port 1 on loopback: nothing listens there, so the connection is refused at once (no process is started).
    [Test]
    public void Open_UnreachableServer_NamesHostAndPortWithoutThePassword()
    {
        var ex = Assert.Throws<StoreException>(() => FindingStore.Open($"postgres://shadow:{Secret}@127.0.0.1:1/findings"));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("cannot reach the PostgreSQL server at 127.0.0.1:1"));
            Assert.That(ex.Message, Does.Contain("postgres://shadow:***@127.0.0.1:1/findings"));
            Assert.That(ex.Message, Does.Not.Contain(Secret));
            Assert.That(ex.Message.Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        });
    }
}
