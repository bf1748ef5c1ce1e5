using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ShadowMcp.Core.Store.Postgres.Migrations
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EndpointKey = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "text", nullable: false),
                    Owner = table.Column<string>(type: "text", nullable: true),
                    StatusSince = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StatusBy = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_finding_triage", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "finding_triage_history",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EndpointKey = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "text", nullable: false),
                    FromStatus = table.Column<string>(type: "text", nullable: false),
                    ToStatus = table.Column<string>(type: "text", nullable: false),
                    FromOwner = table.Column<string>(type: "text", nullable: true),
                    ToOwner = table.Column<string>(type: "text", nullable: true),
                    Note = table.Column<string>(type: "text", nullable: true)
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
