using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using ShadowMcp.Core.Store;
using ShadowMcp.Core.Store.Compiled;

namespace ShadowMcp.Core.Tests.Store;

/// <summary>
/// The SQLite store starts from a compiled model (Core/Store/Compiled) so a one-shot command does not spend a fifth of
/// its time building the model. The compiled model is generated code: after any change to the entities or to
/// OnModelCreating it must be generated again, and this test says so.
/// </summary>
public sealed class CompiledStoreModelTests
{
    /// <summary>Another type, so EF Core builds its model from OnModelCreating instead of taking the compiled one.</summary>
    private sealed class ModelFromCode(DbContextOptions<ModelFromCode> options) : ShadowMcpDbContext(options);

    [Test]
    public void TheStoreUsesTheCompiledModel_AndItMatchesTheModelTheCodeDescribes()
    {
        using var compiled = new ShadowMcpDbContext(new DbContextOptionsBuilder<ShadowMcpDbContext>().UseSqlite("Data Source=:memory:").Options);
        using var fromCode = new ModelFromCode(new DbContextOptionsBuilder<ModelFromCode>().UseSqlite("Data Source=:memory:").Options);

        Assert.That(compiled.Model, Is.InstanceOf<ShadowMcpDbContextModel>(), "the SQLite store does not start from the compiled model");
        Assert.That(fromCode.Model, Is.Not.InstanceOf<ShadowMcpDbContextModel>());

        Assert.That(Describe(compiled.Model.GetRelationalModel()), Is.EqualTo(Describe(fromCode.Model.GetRelationalModel())),
            "the compiled model is stale: run `dotnet ef dbcontext optimize --project Core --context ShadowMcpDbContext " +
            "--output-dir Store/Compiled --namespace ShadowMcp.Core.Store.Compiled`");
    }

    /// <summary>Every table, column, key, index and foreign key, one line each, in a stable order.</summary>
    private static List<string> Describe(IRelationalModel model)
    {
        var lines = new List<string>();
        foreach (var table in model.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            lines.AddRange(table.Columns.Select(c => $"{table.Name}.{c.Name} {c.StoreType} null={c.IsNullable}"));
            if (table.PrimaryKey is { } pk) lines.Add($"{table.Name} pk {Columns(pk.Columns)}");
            lines.AddRange(table.Indexes.Select(i => $"{table.Name} index {i.Name} ({Columns(i.Columns)}) unique={i.IsUnique}"));
            lines.AddRange(table.UniqueConstraints.Select(u => $"{table.Name} unique {u.Name} ({Columns(u.Columns)})"));
            lines.AddRange(table.ForeignKeyConstraints.Select(f =>
                $"{table.Name} fk {f.Name} ({Columns(f.Columns)}) -> {f.PrincipalTable.Name} ({Columns(f.PrincipalColumns)}) {f.OnDeleteAction}"));
            lines.AddRange(table.EntityTypeMappings.Select(m => $"{table.Name} maps {m.TypeBase.ClrType.FullName}"));
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static string Columns(IEnumerable<IColumn> columns) => string.Join(", ", columns.Select(c => c.Name));
}
