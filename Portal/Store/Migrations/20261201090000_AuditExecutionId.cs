using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Portal.Store.Migrations
{
    /// <summary>Audit rows of calls made from code mode name their execution.</summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261201090000_AuditExecutionId")]
    public partial class AuditExecutionId : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExecutionId",
                table: "portal_audit",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ExecutionId",
                table: "portal_audit");
        }
    }
}
