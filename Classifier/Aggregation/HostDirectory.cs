using System.Net;
using ShadowMcp.Core.Observations;

namespace ShadowMcp.Classifier.Aggregation;

/// <summary>
/// Names by which each server address was reached: DNS answers (address -> queried name and owner names),
/// HTTP Host headers and TLS SNI on flows to the address. Bounded: past the limits, new names are not kept.
/// </summary>
internal sealed class HostDirectory(int maxAddresses, int maxNamesPerAddress)
{
    private readonly Dictionary<string, List<string>> _names = new(StringComparer.OrdinalIgnoreCase);

    public void Learn(Observation observation)
    {
        switch (observation.Kind)
        {
            case ObservationKinds.Dns:
                LearnDns(observation.Fields);
                break;
            case ObservationKinds.HttpRequest:
                Add(observation.Flow.Server, observation.Fields.Get("host"));
                break;
            case ObservationKinds.TlsClientHello:
                Add(observation.Flow.Server, observation.Fields.Get("sni"));
                break;
        }
    }

    public IReadOnlyList<string> NamesFor(string address) =>
        _names.TryGetValue(address, out var names) ? names : [];

    private void LearnDns(FieldBag fields)
    {
        if (fields.Get("response") != "true") return;
        var question = fields.Get("name");
        var answers = fields.GetAll("answer").ToList();
        var owners = fields.GetAll("answer.name").ToList();
        for (var i = 0; i < answers.Count; i++)
        {
            if (!IPAddress.TryParse(answers[i], out var address)) continue;
            var text = address.ToString();
            Add(text, question);
            if (i < owners.Count && !string.Equals(owners[i], question, StringComparison.OrdinalIgnoreCase)) Add(text, owners[i]);
        }
    }

    private void Add(string address, string? name)
    {
        if (string.IsNullOrEmpty(name) || IPAddress.TryParse(name, out _)) return;
        if (!_names.TryGetValue(address, out var names))
        {
            if (_names.Count >= maxAddresses) return;
            _names[address] = names = new List<string>(2);
        }
        if (names.Count >= maxNamesPerAddress) return;
        foreach (var known in names)
            if (string.Equals(known, name, StringComparison.OrdinalIgnoreCase)) return;
        names.Add(name.ToLowerInvariant());
    }
}
