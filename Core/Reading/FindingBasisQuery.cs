using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using ShadowMcp.Core.Findings;
using ShadowMcp.Core.Store;

namespace ShadowMcp.Core.Reading;

/// <summary>
/// <see cref="BasisRules"/> in the database: a filter on the primary basis as SQL (the same text on SQLite and
/// PostgreSQL, but for the decrypted mark's LIKE, which is ILIKE on PostgreSQL as SQLite's LIKE ignores ASCII case),
/// and the bases of given findings read from their evidence and sources and placed by <see cref="BasisRules.For(IEnumerable{ValueTuple{string, string}}, SourceKinds)"/>.
/// </summary>
internal static class FindingBasisQuery
{
    private static readonly string DecryptedPattern = "%" + BasisRules.DecryptedSuffix;

    /// <summary>The rows whose primary basis is one of <paramref name="bases"/> (none: no row).</summary>
    public static IQueryable<FindingRow> WithPrimary(ShadowMcpDbContext db, IQueryable<FindingRow> rows, IReadOnlySet<FindingBasis> bases)
    {
        var has = Has(db);
        var f = Expression.Parameter(typeof(FindingRow), "f");
        Expression? any = null;
        foreach (var basis in bases)
        {
            // Primary b: has b and nothing stronger; Other: nothing placed at all.
            Expression test = basis == FindingBasis.Other ? Expression.Constant(true) : Body(has[basis], f);
            foreach (var stronger in FindingBasisNames.All.Where(s => s < basis && s != FindingBasis.Other))
                test = Expression.AndAlso(test, Expression.Not(Body(has[stronger], f)));
            any = any is null ? test : Expression.OrElse(any, test);
        }
        return rows.Where(Expression.Lambda<Func<FindingRow, bool>>(any ?? Expression.Constant(false), f));
    }

    /// <summary>The bases of the findings in <paramref name="ids"/> (a finding not in the store is left out).</summary>
    public static async Task<Dictionary<long, FindingBases>> ReadAsync(ShadowMcpDbContext db, IReadOnlyCollection<long> ids,
        CancellationToken cancellationToken)
    {
        var evidence = new Dictionary<long, List<(string, string)>>();
        var sources = new Dictionary<long, SourceKinds>();
        foreach (var chunk in ids.Distinct().Chunk(FindingStore.MaxKeysPerQuery))
        {
            var rows = await db.Evidence.AsNoTracking().Where(e => chunk.Contains(e.FindingId))
                .Select(e => new { e.FindingId, e.Rule, e.Detail }).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var r in rows)
            {
                if (!evidence.TryGetValue(r.FindingId, out var list)) evidence[r.FindingId] = list = [];
                list.Add((r.Rule, r.Detail));
            }
            var kinds = await (from s in db.FindingSources.AsNoTracking()
                               where chunk.Contains(s.FindingId)
                               join file in db.ScannedFiles.AsNoTracking() on s.ScannedFileId equals file.Id
                               select new { s.FindingId, Probe = file.Path == BasisRules.ProbeSourcePath })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var k in kinds)
            {
                var have = sources.GetValueOrDefault(k.FindingId);
                sources[k.FindingId] = new SourceKinds(have.Probe || k.Probe, have.Passive || !k.Probe);
            }
        }
        var found = await FindingIds(db, ids, cancellationToken).ConfigureAwait(false);
        return found.ToDictionary(id => id, id => BasisRules.For(evidence.GetValueOrDefault(id) ?? [], sources.GetValueOrDefault(id)));
    }

    private static async Task<List<long>> FindingIds(ShadowMcpDbContext db, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        var found = new List<long>(ids.Count);
        foreach (var chunk in ids.Distinct().Chunk(FindingStore.MaxKeysPerQuery))
            found.AddRange(await db.Findings.AsNoTracking().Where(f => chunk.Contains(f.Id)).Select(f => f.Id)
                .ToListAsync(cancellationToken).ConfigureAwait(false));
        return found;
    }

    /// <summary>"The finding has this basis", per basis but <see cref="FindingBasis.Other"/>, as the SQL says it.</summary>
    private static Dictionary<FindingBasis, Expression<Func<FindingRow, bool>>> Has(ShadowMcpDbContext db)
    {
        string[] content = [.. BasisRules.ContentRules];
        string[] name = [.. BasisRules.NameRules];
        string[] shape = [.. BasisRules.ShapeRules];
        string[] host = [.. BasisRules.HostRules];
        var probe = BasisRules.ProbeSourcePath;
        var pattern = DecryptedPattern;
        var files = db.ScannedFiles;
        Expression<Func<FindingRow, bool>> probeOnly = f =>
            f.Sources.Any(s => files.Any(file => file.Id == s.ScannedFileId && file.Path == probe))
            && !f.Sources.Any(s => files.Any(file => file.Id == s.ScannedFileId && file.Path != probe));
        Expression<Func<FindingRow, bool>> plain, decrypted;
        if (db.Database.IsNpgsql())
        {
            plain = f => f.Evidence.Any(e => content.Contains(e.Rule) && !EF.Functions.ILike(e.Detail, pattern));
            decrypted = f => f.Evidence.Any(e => content.Contains(e.Rule) && EF.Functions.ILike(e.Detail, pattern));
        }
        else
        {
            plain = f => f.Evidence.Any(e => content.Contains(e.Rule) && !EF.Functions.Like(e.Detail, pattern));
            decrypted = f => f.Evidence.Any(e => content.Contains(e.Rule) && EF.Functions.Like(e.Detail, pattern));
        }
        var p = Expression.Parameter(typeof(FindingRow), "f");
        Expression<Func<FindingRow, bool>> NotProbeOnly(Expression<Func<FindingRow, bool>> e) =>
            Expression.Lambda<Func<FindingRow, bool>>(Expression.AndAlso(Body(e, p), Expression.Not(Body(probeOnly, p))), p);
        return new()
        {
            [FindingBasis.Content] = NotProbeOnly(plain),
            [FindingBasis.Decrypted] = NotProbeOnly(decrypted),
            [FindingBasis.Probe] = f => f.Sources.Any(s => files.Any(file => file.Id == s.ScannedFileId && file.Path == probe)),
            [FindingBasis.Host] = f => f.Evidence.Any(e => host.Contains(e.Rule)),
            [FindingBasis.Name] = f => f.Evidence.Any(e => name.Contains(e.Rule)),
            [FindingBasis.Shape] = f => f.Evidence.Any(e => shape.Contains(e.Rule)),
        };
    }

    /// <summary>The lambda's body with its parameter replaced by <paramref name="f"/>, to combine lambdas into one.</summary>
    private static Expression Body(Expression<Func<FindingRow, bool>> lambda, ParameterExpression f) =>
        new Replace(lambda.Parameters[0], f).Visit(lambda.Body);

    private sealed class Replace(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
