using System.Text.Json;
using ModelContextProtocol.Protocol;
using ShadowMcp.Portal.CodeMode;
using ShadowMcp.Portal.Config;

namespace ShadowMcp.Portal.Tests.CodeMode;

public sealed class PiiVaultTests
{
    [Test]
    public void Tokenize_SameValueSameToken_RawValueGone()
    {
        var vault = new PiiVault();
        var text = vault.TokenizeText("mail ann@example.com, card 4111 1111 1111 1111, again ann@example.com, bob@example.org");
        Assert.That(text, Is.EqualTo("mail [EMAIL_1], card [CARD_1], again [EMAIL_1], [EMAIL_2]"));
    }

    [Test]
    public void Restore_ToServerInRestoreTo_PutsValueBack()
    {
        var vault = new PiiVault();
        vault.TokenizeText("ann@example.com");
        var args = new Dictionary<string, JsonElement> { ["to"] = JsonSerializer.SerializeToElement("Dear [EMAIL_1]") };
        var restored = vault.Restore(args, "crm", ["crm"], out var refused);
        Assert.That(refused, Is.Null);
        Assert.That(restored!["to"].GetString(), Is.EqualTo("Dear ann@example.com"));
    }

    [Test]
    public void Restore_ToServerNotInRestoreTo_IsRefusedWhateverItsDlp()
    {
        var vault = new PiiVault();
        vault.TokenizeText("ann@example.com");
        var args = new Dictionary<string, JsonElement> { ["text"] = JsonSerializer.SerializeToElement("[EMAIL_1]") };
        Assert.That(vault.Restore(args, "pastebin", ["crm"], out var refused), Is.Null);
        Assert.That(refused, Does.Contain("[EMAIL_1]").And.Contain("pastebin"));
    }

    [Test]
    public void Retokenize_KnownRawValueInAnyText_BecomesItsTokenAgain()
    {
        var vault = new PiiVault();
        vault.TokenizeText("ann@example.com");
        Assert.That(vault.Retokenize("got ann@example.com back"), Is.EqualTo("got [EMAIL_1] back"));
    }

    [Test]
    public void Restore_UnknownTokenLookalike_PassesUnchanged()
    {
        var vault = new PiiVault();
        vault.TokenizeText("ann@example.com");
        var args = new Dictionary<string, JsonElement> { ["text"] = JsonSerializer.SerializeToElement("[EMAIL_9] stays") };
        var restored = vault.Restore(args, "x", [], out var refused);
        Assert.That(refused, Is.Null);
        Assert.That(restored!["text"].GetString(), Is.EqualTo("[EMAIL_9] stays"));
    }

    [Test]
    public void Retokenize_ManyKnownValues_WorkGrowsWithTheTextNotWithTheVault()
    {
        // A tokenizing server's big result (a contact export) fills the vault; every later string of every result
        // in the execution was then tried against every known value, in the portal at full priority: 8,000
        // contacts took 1.2 s for one more result of the same size, 20,000 about 7 s, and a script may make 100 calls.
        const int contacts = 4000;
        var vault = new PiiVault();
        for (var i = 0; i < contacts; i++) vault.TokenizeText($"user{i}@example.com");
        long chars = 0;
        for (var i = 0; i < contacts; i++)
        {
            var text = $"contact user{i}@example.com, no change";
            chars += text.Length;
            Assert.That(vault.Retokenize(text), Does.StartWith("contact [EMAIL_").And.EndWith("], no change"));
        }
        Assert.That(vault.Retokenize("user1@example.com user10@example.com user1@example.comx"), Is.EqualTo("[EMAIL_2] [EMAIL_11] [EMAIL_2]x"));
        Assert.That(vault.Comparisons, Is.LessThan(8 * chars), "steps taken, for texts of this many characters");
    }
}
