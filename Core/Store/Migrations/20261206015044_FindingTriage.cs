using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Core.Store.Migrations
{
    /// <summary>
    /// Triage per finding (issue 18 item 2): status, owner and an append-only history, keyed by endpoint key so a
    /// re-scan never resets a decision.
    /// </summary>
    public partial class FindingTriage : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "finding_triage",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EndpointKey = table.Column<string>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", nullable: true),
                    StatusSince = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StatusBy = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_finding_triage", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "finding_triage_history",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EndpointKey = table.Column<string>(type: "TEXT", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", nullable: false),
                    FromStatus = table.Column<string>(type: "TEXT", nullable: false),
                    ToStatus = table.Column<string>(type: "TEXT", nullable: false),
                    FromOwner = table.Column<string>(type: "TEXT", nullable: true),
                    ToOwner = table.Column<string>(type: "TEXT", nullable: true),
                    Note = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_finding_triage_history", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_finding_triage_EndpointKey",
                table: "finding_triage",
                column: "EndpointKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_finding_triage_Status",
                table: "finding_triage",
                column: "Status");

            migrationBuilder.CreateIndex(
                name: "IX_finding_triage_history_EndpointKey_At",
                table: "finding_triage_history",
                columns: new[] { "EndpointKey", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "finding_triage");

            migrationBuilder.DropTable(
                name: "finding_triage_history");
        }
    }
}
