using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Portal.Store.Migrations
{
    /// <summary>Observed tools keep the upstream's description, so the admin UI's tool list is not blank (b18).</summary>
    [DbContext(typeof(PortalDbContext))]
    [Migration("20261205111500_ToolObservationDescription")]
    public partial class ToolObservationDescription : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(name: "Description", table: "portal_tool_observations", type: "TEXT", nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE portal_tool_observations DROP COLUMN Description;");
        }
    }
}
