using System.Text.Json;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Core.Tests.Store;

/// <summary>
/// The stored set columns (hosts, clients, tools, ...) are JSON arrays of strings. Reading one never fails a page or
/// a report: anything damaged reads as empty.
/// </summary>
public sealed class SetColumnTests
{
    [TestCase("[]", new string[0])]
    [TestCase("", new string[0])]
    [TestCase("[\"a\",\"b\"]", new[] { "a", "b" })]
    [TestCase(" [ \"a\" , \"b\" ] ", new[] { "a", "b" })]
    [TestCase("[\"tab\\there\",\"quote\\\"\",\"\\u00e9t\\u00e9\",\"\\ud83d\\ude00\"]", new[] { "tab\there", "quote\"", "été", "😀" })]
    [TestCase("[\"a\",null,\"b\"]", new[] { "a", "b" })]
    public void ReadsWellFormedArrays(string json, string[] expected) =>
        Assert.That(FindingRowMapper.Strings(json), Is.EqualTo(expected));

    [TestCase("not json")]
    [TestCase("null")]
    [TestCase("\"a\"")]
    [TestCase("{\"a\":1}")]
    [TestCase("[\"a\",1]")]
    [TestCase("[\"a\",[\"b\"]]")]
    [TestCase("[\"a\"")]
    [TestCase("[\"a\"] [\"b\"]")]
    [TestCase("[\"a\"] x")]
    [TestCase("[\"a\\q\"]")]
    public void ReadsDamagedColumnsAsEmpty(string json) => Assert.That(FindingRowMapper.Strings(json), Is.Empty);

    [Test]
    public void ReadsLongColumnsWithAnyCharacters()
    {
        // Past the stack buffer: many names, with multi-byte and escaped characters.
        var names = Enumerable.Range(0, 400).Select(i => $"hôst-{i}.例え.example\u0001\"").ToArray();
        Assert.That(FindingRowMapper.Strings(JsonSerializer.Serialize(names)), Is.EqualTo(names));
    }
}
