namespace ShadowMcp.Corpus;

/// <summary>Tiny `--key value` / `--flag` parser; the generator is driven only by generate.sh.</summary>
internal sealed class GenArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static GenArgs Parse(string[] args)
    {
        var parsed = new GenArgs();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            var key = args[i][2..];
            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            parsed._values[key] = hasValue ? args[++i] : "true";
        }

        return parsed;
    }

    public string Get(string key, string fallback) => _values.TryGetValue(key, out var v) ? v : fallback;

    public string? Find(string key) => _values.TryGetValue(key, out var v) ? v : null;

    public bool Flag(string key) => _values.ContainsKey(key);
}
