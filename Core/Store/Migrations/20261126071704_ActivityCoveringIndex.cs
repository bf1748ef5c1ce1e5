using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Core.Store.Migrations
{
    /// <inheritdoc />
    public partial class ActivityCoveringIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_finding_activity_Hour",
                table: "finding_activity");

            migrationBuilder.CreateIndex(
                name: "IX_finding_activity_Hour_FindingId_Flows",
                table: "finding_activity",
                columns: new[] { "Hour", "FindingId", "Flows" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_finding_activity_Hour_FindingId_Flows",
                table: "finding_activity");

            migrationBuilder.CreateIndex(
                name: "IX_finding_activity_Hour",
                table: "finding_activity",
                column: "Hour");
        }
    }
}
