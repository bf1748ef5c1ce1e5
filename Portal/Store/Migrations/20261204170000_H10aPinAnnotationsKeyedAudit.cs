using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Portal.Store.Migrations
{
    /// <summary>
    /// Pins and observations keep the tool's annotations (policy decides on the pinned ones); audit rows name how
    /// their hash was made (null: the unkeyed SHA-256 of rows written before the HMAC key).
    /// </summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261204170000_H10aPinAnnotationsKeyedAudit")]
    public partial class H10aPinAnnotationsKeyedAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Annotations", table: "portal_tool_pins", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "Annotations", table: "portal_tool_observations", type: "TEXT", nullable: true);
            migrationBuilder.AddColumn<string>(name: "HashKind", table: "portal_audit", type: "TEXT", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops a column natively (3.35+); EF's generator would need a Designer model to rebuild the table.
            migrationBuilder.Sql("ALTER TABLE portal_tool_pins DROP COLUMN Annotations;");
            migrationBuilder.Sql("ALTER TABLE portal_tool_observations DROP COLUMN Annotations;");
            migrationBuilder.Sql("ALTER TABLE portal_audit DROP COLUMN HashKind;");
        }
    }
}
