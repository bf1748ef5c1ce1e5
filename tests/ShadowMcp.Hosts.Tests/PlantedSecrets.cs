namespace ShadowMcp.Hosts.Tests;

/// <summary>Credential-shaped values planted in the fake homes: each must be found, none may appear in any output.</summary>
internal static class PlantedSecrets
{
    public static readonly string GitHub = "ghp_" + new string('q', 20) + "0123456789ABCDEF";
    public static readonly string GitHub2 = "github_pat_" + new string('Z', 40) + "_" + new string('7', 41);
    public static readonly string Slack = "xoxb-2048-4096-" + "fAkEsLaCkToKeN42";
    public static readonly string AwsKeyId = "AKIA" + "FAKEFAKE" + "12345678";
    public static readonly string AwsSecret = "wJalr" + new string('X', 18) + "fakeSecret/K+7AAA";
    public static readonly string OpenAi = "sk-proj-" + "fake0OPENAI0key0for0tests0only";
    public static readonly string Bearer = "c2hhZG93bWNwLWZha2UtYmVhcmVyLTEyMzQ1";
    public static readonly string Brave = "BSA" + "fake9brave8api7key6value5";

    public static IEnumerable<string> All => [GitHub, GitHub2, Slack, AwsKeyId, AwsSecret, OpenAi, Bearer, Brave];
}
