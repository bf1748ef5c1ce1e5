using System.Net;
using System.Text.RegularExpressions;
using ShadowMcp.Admin.Tests.Support;

namespace ShadowMcp.Admin.Tests.Http;

/// <summary>A plain HTTP client against the test host: no redirects followed, cookies kept, forms posted by hand.</summary>
internal sealed partial class AdminHttpClient : IDisposable
{
    private readonly HttpClient _client;

    public AdminHttpClient(AdminHost host)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies, UseCookies = true })
        {
            BaseAddress = new Uri(host.BaseUrl),
        };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path, string? bearer = null) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), bearer);

    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> form, string? bearer = null) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) }, bearer);

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string? bearer)
    {
        if (bearer is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        using (request) return await _client.SendAsync(request);
    }

    /// <summary>The anti-forgery field of the first form on <paramref name="path"/> (its cookie lands in <see cref="Cookies"/>).</summary>
    public async Task<KeyValuePair<string, string>> CsrfFieldAsync(string path, string? bearer = null)
    {
        using var response = await GetAsync(path, bearer);
        var html = await response.Content.ReadAsStringAsync();
        var m = HiddenCsrf().Match(html);
        Assert.That(m.Success, Is.True, $"no anti-forgery field on {path} ({(int)response.StatusCode})");
        return new(m.Groups[1].Value, WebUtility.HtmlDecode(m.Groups[2].Value));
    }

    /// <summary>Signs in through the form, as a browser would.</summary>
    public async Task LoginAsync()
    {
        var csrf = await CsrfFieldAsync("/admin/login");
        using var response = await PostFormAsync("/admin/login", [csrf, new("token", AdminHost.Token), new("returnUrl", "/admin/findings")]);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\">")]
    private static partial Regex HiddenCsrf();
}
