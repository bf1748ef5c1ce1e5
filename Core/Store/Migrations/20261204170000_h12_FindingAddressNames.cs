using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Core.Store.Migrations
{
    /// <summary>
    /// Findings keep the names that merely resolved to their address apart from the names their flows used
    /// (h12). Existing rows get an empty list; a rescan fills it.
    /// </summary>
    [DbContext(typeof(ShadowMcpDbContext))]
    [Migration("20261204170000_h12_FindingAddressNames")]
    public partial class h12_FindingAddressNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "AddressNamesJson",
                table: "findings",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops a column natively (3.35+); EF's generator would need a Designer model to rebuild the table.
            migrationBuilder.Sql("ALTER TABLE findings DROP COLUMN AddressNamesJson;");
        }
    }
}
