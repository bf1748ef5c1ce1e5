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
            // A Host header or SNI names one service (address and port); shared front ends serve many.
            case ObservationKinds.HttpRequest:
                Add(ServiceKey(observation.Flow.Server, observation.Flow.ServerPort), observation.Fields.Get("host"));
                break;
            case ObservationKinds.TlsClientHello:
                Add(ServiceKey(observation.Flow.Server, observation.Flow.ServerPort), observation.Fields.Get("sni"));
                break;
        }
    }

    /// <summary>Names seen for this address and port (Host, SNI), then the DNS names that resolved to the address.</summary>
    public IReadOnlyList<string> NamesFor(string address, int? port)
    {
        var service = port is { } p && _names.TryGetValue(ServiceKey(address, p), out var byService) ? byService : null;
        var dns = _names.TryGetValue(address, out var byAddress) ? byAddress : null;
        if (service is null) return dns ?? (IReadOnlyList<string>)[];
        if (dns is null) return service;
        return [.. service, .. dns.Where(n => !service.Contains(n, StringComparer.OrdinalIgnoreCase))];
    }

    /// <summary>The one name to show for the endpoint: a Host/SNI name, else a DNS name only when it is unambiguous.</summary>
    public string? PrimaryNameFor(string address, int? port)
    {
        if (port is { } p && _names.TryGetValue(ServiceKey(address, p), out var byService) && byService.Count > 0) return byService[0];
        return _names.TryGetValue(address, out var byAddress) && byAddress.Count == 1 ? byAddress[0] : null;
    }

    private static string ServiceKey(string address, int port) => $"{address}#{port}";

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
