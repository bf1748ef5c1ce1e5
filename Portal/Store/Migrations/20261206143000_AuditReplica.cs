using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Portal.Store.Migrations
{
    /// <summary>Audit rows name the portal replica that wrote them (several replicas on one PostgreSQL store).</summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261206143000_AuditReplica")]
    public partial class AuditReplica : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Replica", table: "portal_audit", type: "TEXT", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE portal_audit DROP COLUMN Replica;");
        }
    }
}
