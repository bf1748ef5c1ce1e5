using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Enforcer.Store.Migrations
{
    /// <summary>
    /// Write-ahead intent (h12): an action row is written as "pending" with the desired state, the file bytes
    /// before and the process that runs it, before the backend is touched; the next run reconciles it.
    /// </summary>
    [DbContext(typeof(ShadowMcp.Enforcer.Store.EnforcerDbContext))]
    [Migration("20261204173000_h12_ActionIntent")]
    public partial class h12_ActionIntent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "IntentJson", table: "enforcer_actions", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "BeforeFile", table: "enforcer_actions", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<int>(name: "RunnerPid", table: "enforcer_actions", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<long>(name: "RunnerStart", table: "enforcer_actions", type: "INTEGER", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops a column natively (3.35+); EF's generator would need a Designer model to rebuild the table.
            migrationBuilder.Sql("ALTER TABLE enforcer_actions DROP COLUMN IntentJson;");
            migrationBuilder.Sql("ALTER TABLE enforcer_actions DROP COLUMN BeforeFile;");
            migrationBuilder.Sql("ALTER TABLE enforcer_actions DROP COLUMN RunnerPid;");
            migrationBuilder.Sql("ALTER TABLE enforcer_actions DROP COLUMN RunnerStart;");
        }
    }
}
