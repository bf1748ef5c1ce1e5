using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Core.Store.Migrations
{
    /// <inheritdoc />
    public partial class FindingActivity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "finding_activity",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FindingId = table.Column<long>(type: "INTEGER", nullable: false),
                    ScannedFileId = table.Column<long>(type: "INTEGER", nullable: false),
                    Hour = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Flows = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_finding_activity", x => x.Id);
                    table.ForeignKey(
                        name: "FK_finding_activity_findings_FindingId",
                        column: x => x.FindingId,
                        principalTable: "findings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_finding_activity_scanned_files_ScannedFileId",
                        column: x => x.ScannedFileId,
                        principalTable: "scanned_files",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_finding_activity_FindingId_Hour",
                table: "finding_activity",
                columns: new[] { "FindingId", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_finding_activity_Hour",
                table: "finding_activity",
                column: "Hour");

            migrationBuilder.CreateIndex(
                name: "IX_finding_activity_ScannedFileId",
                table: "finding_activity",
                column: "ScannedFileId");

            // Stores from before this migration: one activity row per file contribution, at the hour it was first
            // seen, so the weekly report still shows when each endpoint was active.
            migrationBuilder.Sql(
                "INSERT INTO finding_activity (FindingId, ScannedFileId, Hour, Flows) " +
                "SELECT FindingId, ScannedFileId, strftime('%Y-%m-%d %H:00:00', FirstSeen), " +
                "COALESCE(json_extract(FindingJson, '$.flows'), 0) FROM finding_sources;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "finding_activity");
        }
    }
}
