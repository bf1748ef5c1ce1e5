using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ShadowMcp.Admin.Auth;
using ShadowMcp.Admin.Findings;
using ShadowMcp.Admin.Pages;
using ShadowMcp.Core.Serialization;

namespace ShadowMcp.Admin;

public static partial class AdminEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the admin UI under <paramref name="prefix"/>. Every route except the login form is wrapped in the same
    /// guard: not signed in means a redirect to the login page (pages) or 401 (<c>{prefix}/api/…</c>), and every POST
    /// must carry a valid anti-forgery token. Requires <see cref="AdminServiceCollectionExtensions.AddShadowMcpAdmin"/>.
    /// </summary>
    public static RouteGroupBuilder MapShadowMcpAdmin(this IEndpointRouteBuilder endpoints, string prefix = "/admin")
    {
        prefix = "/" + prefix.Trim('/');
        var group = endpoints.MapGroup(prefix);
        // One place for the base security headers: every endpoint in the group, whatever it answers, gets them first.
        ((IEndpointConventionBuilder)group).Add(endpoint =>
        {
            if (endpoint.RequestDelegate is not { } handler) return;
            endpoint.RequestDelegate = ctx =>
            {
                Layout.ApplyBaseHeaders(ctx.Response);
                return handler(ctx);
            };
        });
        var routes = new AdminRoutes(prefix);

        group.MapGet("/login", routes.LoginForm);
        group.MapPost("/login", routes.Login);
        Auth.Oidc.OidcEndpoints.Map(endpoints, group, prefix);

        group.MapGet("/", routes.Guard(ctx => { ctx.Response.Redirect(prefix + "/findings"); return Task.CompletedTask; }));
        group.MapPost("/logout", routes.Guard(routes.Logout));
        group.MapGet("/findings", routes.Page(page => FindingsPage.RenderAsync(page)));
        group.MapPost("/findings/bulk", routes.Page(BulkTriageCommand.RunAsync));
        group.MapGet("/findings.csv", routes.Guard(FindingsCsv.WriteAsync));
        group.MapGet("/findings/{id}", routes.Page(page => RouteId(page) is { } id
            ? FindingDetailPage.RenderAsync(page, id)
            : Task.FromResult(ErrorPages.NotFound(page, "A finding id is a number."))));
        foreach (var command in TriageCommands.All)
            group.MapPost("/findings/{id}/" + command, routes.Page(page => RouteId(page) is { } id
                ? TriageCommands.RunAsync(page, id, command)
                : Task.FromResult(ErrorPages.NotFound(page, "A finding id is a number."))));
        group.MapGet("/reports", routes.Page(page => Task.FromResult(ReportsPage.Render(page))));
        group.MapPost("/reports/generate", routes.Page(ReportsPage.GenerateAsync));
        group.MapGet("/reports/view/{name}", routes.Page(page => Task.FromResult(ReportsPage.View(page, RouteName(page)))));
        group.MapGet("/reports/file/{name}", routes.Page(page => Task.FromResult(ReportsPage.File(page, RouteName(page)))));
        group.MapGet("/portal", routes.Page(PortalPage.RenderAsync));
        group.MapGet("/audit", routes.Page(AuditPage.RenderAsync));
        group.MapGet("/enforcement", routes.Page(page => EnforcementPage.RenderAsync(page)));
        group.MapGet("/hosts", routes.Page(HostsPage.RenderAsync));
        // Literal routes, not a regex constraint: hosts built with CreateSlimBuilder have no regex constraint support.
        foreach (var command in (string[])["plan", "apply", "rollback"])
            group.MapPost("/enforcement/" + command, routes.Page(page => EnforcementPage.CommandAsync(page, command)));

        group.MapGet("/api/findings", routes.Guard(FindingsApi.ListAsync));
        group.MapGet("/api/findings/{id}", routes.Guard(FindingsApi.GetAsync));
        // Anything else under the prefix is still behind the guard, so an unknown path says nothing to a stranger.
        group.Map("/{**rest}", routes.Page(page => Task.FromResult(ErrorPages.NotFound(page, "There is no such admin page."))));
        return group;
    }

    private static long? RouteId(PageContext page) =>
        long.TryParse(page.Http.GetRouteValue("id")?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string RouteName(PageContext page) => page.Http.GetRouteValue("name")?.ToString() ?? "";

    private sealed partial class AdminRoutes(string prefix)
    {
        public RequestDelegate Page(Func<PageContext, Task<IResult>> render) =>
            Guard(async ctx => await (await render(new PageContext(ctx, prefix)).ConfigureAwait(false)).ExecuteAsync(ctx).ConfigureAwait(false));

        /// <summary>Default deny: the inner handler runs only for the admin, and a POST only with a valid anti-forgery token.</summary>
        public RequestDelegate Guard(RequestDelegate inner) => async ctx =>
        {
            var auth = ctx.RequestServices.GetRequiredService<AdminAuthentication>();
            // A bearer token is a token guess like the login form's: the same per-client throttle applies.
            var bearer = ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
            var throttle = ctx.RequestServices.GetRequiredService<LoginThrottle>();
            var remote = ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (bearer && !throttle.MayTry(remote))
            {
                LogThrottledLogin(Logger(ctx), remote);
                ctx.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                ctx.Response.Headers.RetryAfter = ((int)Math.Ceiling(throttle.Window.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return;
            }
            if (!auth.IsAuthenticated(ctx))
            {
                if (bearer)
                {
                    throttle.Failed(remote);
                    LogFailedLogin(Logger(ctx), remote);
                }
                if (IsApi(ctx) || !HttpMethods.IsGet(ctx.Request.Method))
                {
                    AdminAuthentication.Challenge(ctx);
                    return;
                }
                ctx.Response.Redirect(prefix + "/login?returnUrl=" + Uri.EscapeDataString(ctx.Request.Path + ctx.Request.QueryString));
                return;
            }
            if (HttpMethods.IsPost(ctx.Request.Method) && !await CsrfValidAsync(ctx).ConfigureAwait(false))
            {
                await Refuse(ctx).ConfigureAwait(false);
                return;
            }
            var principal = auth.Principal(ctx)!;
            var needed = RoleNeeded(ctx);
            if (principal.Role < needed)
            {
                LogForbidden(Logger(ctx), principal.Name, principal.Role, ctx.Request.Method, ctx.Request.Path, needed);
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.Response.WriteAsync($"Forbidden: this needs the {needed.ToString().ToLowerInvariant()} role.").ConfigureAwait(false);
                return;
            }
            await inner(ctx).ConfigureAwait(false);
        };

        /// <summary>
        /// Default deny by role: reading needs a viewer; deciding on findings (triage, bulk triage) an analyst; every
        /// other change (enforcement plans, apply, rollback, report generation) an admin.
        /// </summary>
        private AdminRole RoleNeeded(HttpContext ctx)
        {
            if (HttpMethods.IsGet(ctx.Request.Method) || HttpMethods.IsHead(ctx.Request.Method)) return AdminRole.Viewer;
            var path = ctx.Request.Path.Value ?? "";
            if (path.Equals(prefix + "/logout", StringComparison.Ordinal)) return AdminRole.Viewer;
            if (path.StartsWith(prefix + "/findings/", StringComparison.Ordinal)) return AdminRole.Analyst;
            return AdminRole.Admin;
        }

        public async Task LoginForm(HttpContext ctx)
        {
            var page = new PageContext(ctx, prefix);
            var verifier = ctx.RequestServices.GetRequiredService<AdminTokenVerifier>();
            var returnUrl = LoginPage.SafeReturnUrl(ctx.Request.Query["returnUrl"].ToString(), prefix);
            await LoginPage.Render(page, returnUrl, null, verifier.IsConfigured, Oidc(ctx)).ExecuteAsync(ctx).ConfigureAwait(false);
        }

        public async Task Login(HttpContext ctx)
        {
            if (!await CsrfValidAsync(ctx).ConfigureAwait(false))
            {
                await Refuse(ctx).ConfigureAwait(false);
                return;
            }
            var form = await ctx.Request.ReadFormAsync(ctx.RequestAborted).ConfigureAwait(false);
            var verifier = ctx.RequestServices.GetRequiredService<AdminTokenVerifier>();
            var throttle = ctx.RequestServices.GetRequiredService<LoginThrottle>();
            var returnUrl = LoginPage.SafeReturnUrl(form["returnUrl"].ToString(), prefix);
            var token = form["token"].ToString();
            var remote = ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (!throttle.MayTry(remote))
            {
                // Checked before the token, so a throttled client learns nothing, not even from a right guess.
                LogThrottledLogin(Logger(ctx), remote);
                var minutes = (int)Math.Ceiling(throttle.Window.TotalMinutes);
                ctx.Response.Headers.RetryAfter = ((int)Math.Ceiling(throttle.Window.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await LoginPage.Render(new PageContext(ctx, prefix), returnUrl,
                        $"Too many wrong tokens from this address. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.",
                        verifier.IsConfigured, Oidc(ctx), StatusCodes.Status429TooManyRequests)
                    .ExecuteAsync(ctx).ConfigureAwait(false);
                return;
            }
            var principal = verifier.Identify(token.AsSpan().Trim());
            if (principal is null)
            {
                throttle.Failed(remote);
                LogFailedLogin(Logger(ctx), remote);
                var page = new PageContext(ctx, prefix);
                await LoginPage.Render(page, returnUrl, "That token is not valid.", verifier.IsConfigured, Oidc(ctx),
                        StatusCodes.Status401Unauthorized)
                    .ExecuteAsync(ctx).ConfigureAwait(false);
                return;
            }
            ctx.RequestServices.GetRequiredService<AdminAuthentication>().SignIn(ctx, prefix, principal);
            LogLogin(Logger(ctx), principal.Name, principal.Role, ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            ctx.Response.Redirect(returnUrl);
        }

        public Task Logout(HttpContext ctx)
        {
            ctx.RequestServices.GetRequiredService<AdminAuthentication>().SignOut(ctx, prefix);
            ctx.Response.Redirect(prefix + "/login");
            return Task.CompletedTask;
        }

        private static AdminOidcOptions? Oidc(HttpContext ctx) =>
            ctx.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdminOptions>>().Value.Oidc is { Enabled: true } o ? o : null;

        private bool IsApi(HttpContext ctx) => ctx.Request.Path.StartsWithSegments(prefix + "/api", StringComparison.Ordinal);

        private static async Task<bool> CsrfValidAsync(HttpContext ctx)
        {
            try
            {
                return await ctx.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(ctx).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AntiforgeryValidationException or InvalidDataException or IOException)
            {
                return false;
            }
        }

        private async Task Refuse(HttpContext ctx)
        {
            var page = new PageContext(ctx, prefix);
            await ErrorPages.BadRequest(page, "The form was missing its anti-forgery token or it did not match. Reload the page and try again.")
                .ExecuteAsync(ctx).ConfigureAwait(false);
        }

        private static ILogger Logger(HttpContext ctx) =>
            ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ShadowMcp.Admin");

        [LoggerMessage(Level = LogLevel.Warning, Message = "Admin login refused from {Remote}: wrong token")]
        private static partial void LogFailedLogin(ILogger logger, string remote);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Admin login refused from {Remote}: too many wrong tokens, throttled")]
        private static partial void LogThrottledLogin(ILogger logger, string remote);

        [LoggerMessage(Level = LogLevel.Information, Message = "Admin {User} ({Role}) signed in from {Remote}")]
        private static partial void LogLogin(ILogger logger, string user, AdminRole role, string remote);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Admin {User} ({Role}) refused {Method} {Path}: needs the {Needed} role")]
        private static partial void LogForbidden(ILogger logger, string user, AdminRole role, string method, PathString path, AdminRole needed);
    }
}
