using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Enforcer.Store.Migrations
{
    /// <summary>
    /// Rollback rows name the action they rolled back to (b18), so the admin UI can show an action as rolled back
    /// and a second rollback of it is refused instead of reported as a success that changed nothing.
    /// </summary>
    [DbContext(typeof(ShadowMcp.Enforcer.Store.EnforcerDbContext))]
    [Migration("20261205110000_b18_RollsBackTo")]
    public partial class b18_RollsBackTo : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(name: "RollsBackTo", table: "enforcer_actions", type: "INTEGER", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE enforcer_actions DROP COLUMN RollsBackTo;");
        }
    }
}
