using ShadowMcp.Classifier.Shape;

namespace ShadowMcp.Classifier.Tests.Shape;

/// <summary>
/// Reading a feature table: a table that does not fit is refused naming the file, the line and the column, whether a
/// cell is broken or the table's feature columns are not the ones expected (e.g. a model trained on others).
/// </summary>
public sealed class ShapeTableTests
{
    private static readonly string[] Features = ["log_bytes_ratio", "log_pairs", "request_spread"];
    private const string Header = "flow,session,family,client_stack,transport,label,log_bytes_ratio,log_pairs,request_spread";

    private static string Write(params string[] lines)
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"table-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Test]
    public void Read_WellFormedTable_GivesEveryRowWithItsSessionAndLabel()
    {
        var path = Write(Header, "f1,s1,mcp:short,typescript,http/1.1 tls1.3,mcp,0.5,1.1,0.02",
            "f2,s2,eth-rpc,node,http/1.1 tls1.2,not-mcp,-0.25,3,0.3");

        var rows = ShapeTable.Read(path, Features);

        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r.Session), Is.EqualTo(new[] { "s1", "s2" }));
            Assert.That(rows.Select(r => r.Sample.IsMcp), Is.EqualTo(new[] { true, false }));
            Assert.That(rows[1].Sample.Features, Is.EqualTo(new[] { -0.25f, 3f, 0.3f }));
        });
    }

    [Test]
    public void Read_CellNotANumber_NamesFileLineAndColumn()
    {
        var path = Write(Header, "f1,s1,mcp:short,typescript,http/1.1 tls1.3,mcp,0.5,1.1,0.02",
            "f2,s2,eth-rpc,node,http/1.1 tls1.2,not-mcp,-0.25,three,0.3");

        var e = Assert.Throws<InvalidDataException>(() => ShapeTable.Read(path, Features));

        Assert.That(e!.Message, Does.StartWith($"{path}:3: column 8 (log_pairs): `three` is not a number"));
    }

    [Test]
    public void Read_BadLabel_NamesFileLineAndColumn()
    {
        var path = Write(Header, "f1,s1,mcp:short,typescript,http/1.1 tls1.3,maybe,0.5,1.1,0.02");

        var e = Assert.Throws<InvalidDataException>(() => ShapeTable.Read(path, Features));

        Assert.That(e!.Message, Does.StartWith($"{path}:2: column 6 (label) must be mcp or not-mcp, not `maybe`"));
    }

    [Test]
    public void Read_OtherFeatureColumn_NamesTheColumnAndWhereTheExpectedFeaturesCameFrom()
    {
        var path = Write(Header.Replace("log_pairs", "log_pairs_v2", StringComparison.Ordinal),
            "f1,s1,mcp:short,typescript,http/1.1 tls1.3,mcp,0.5,1.1,0.02");

        var e = Assert.Throws<InvalidDataException>(() => ShapeTable.Read(path, Features, "the model m.json"));

        Assert.That(e!.Message, Does.StartWith(
            $"{path}:1: header: column 8 is `log_pairs_v2`, expected `log_pairs` (the model m.json)"));
    }

    [Test]
    public void Read_MissingFeatureColumn_NamesTheMissingColumn()
    {
        var path = Write(Header[..Header.LastIndexOf(',')], "f1,s1,mcp:short,typescript,http/1.1 tls1.3,mcp,0.5,1.1");

        var e = Assert.Throws<InvalidDataException>(() => ShapeTable.Read(path, Features));

        Assert.That(e!.Message, Does.StartWith(
            $"{path}:1: header: 8 columns, expected 9: `request_spread` (column 9) is missing"));
    }

    [Test]
    public void Read_ShortRow_NamesFileAndLine()
    {
        var path = Write(Header, "f1,s1,mcp:short,typescript,http/1.1 tls1.3,mcp,0.5,1.1");

        var e = Assert.Throws<InvalidDataException>(() => ShapeTable.Read(path, Features));

        Assert.That(e!.Message, Does.StartWith($"{path}:2: 8 cells, expected 9"));
    }
}
