using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Core.Store.Migrations
{
    /// <inheritdoc />
    public partial class InitialDetectionStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "findings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EndpointKey = table.Column<string>(type: "TEXT", nullable: false),
                    Address = table.Column<string>(type: "TEXT", nullable: true),
                    Port = table.Column<int>(type: "INTEGER", nullable: true),
                    Host = table.Column<string>(type: "TEXT", nullable: true),
                    Path = table.Column<string>(type: "TEXT", nullable: true),
                    Transport = table.Column<string>(type: "TEXT", nullable: false),
                    Verdict = table.Column<string>(type: "TEXT", nullable: false),
                    VerdictReason = table.Column<string>(type: "TEXT", nullable: true),
                    Confidence = table.Column<double>(type: "REAL", nullable: false),
                    ServerName = table.Column<string>(type: "TEXT", nullable: true),
                    ServerVersion = table.Column<string>(type: "TEXT", nullable: true),
                    Flows = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstSeen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    HostsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ProtocolVersionsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ClientsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ClientAppsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ToolsJson = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_findings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "scanned_files",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Sha256 = table.Column<string>(type: "TEXT", nullable: false),
                    Path = table.Column<string>(type: "TEXT", nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    ScannedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Packets = table.Column<long>(type: "INTEGER", nullable: false),
                    Bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Flows = table.Column<long>(type: "INTEGER", nullable: false),
                    Malformed = table.Column<long>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scanned_files", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "evidence",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FindingId = table.Column<long>(type: "INTEGER", nullable: false),
                    Rule = table.Column<string>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", nullable: false),
                    Level = table.Column<string>(type: "TEXT", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", nullable: false),
                    Weight = table.Column<double>(type: "REAL", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstSeen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Example = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_evidence", x => x.Id);
                    table.ForeignKey(
                        name: "FK_evidence_findings_FindingId",
                        column: x => x.FindingId,
                        principalTable: "findings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "finding_sources",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    FindingId = table.Column<long>(type: "INTEGER", nullable: false),
                    ScannedFileId = table.Column<long>(type: "INTEGER", nullable: false),
                    FirstSeen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FindingJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_finding_sources", x => x.Id);
                    table.ForeignKey(
                        name: "FK_finding_sources_findings_FindingId",
                        column: x => x.FindingId,
                        principalTable: "findings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_finding_sources_scanned_files_ScannedFileId",
                        column: x => x.ScannedFileId,
                        principalTable: "scanned_files",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_evidence_FindingId_Rule_Detail",
                table: "evidence",
                columns: new[] { "FindingId", "Rule", "Detail" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_finding_sources_FindingId_ScannedFileId",
                table: "finding_sources",
                columns: new[] { "FindingId", "ScannedFileId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_finding_sources_ScannedFileId",
                table: "finding_sources",
                column: "ScannedFileId");

            migrationBuilder.CreateIndex(
                name: "IX_findings_EndpointKey",
                table: "findings",
                column: "EndpointKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_findings_LastSeen",
                table: "findings",
                column: "LastSeen");

            migrationBuilder.CreateIndex(
                name: "IX_findings_Verdict",
                table: "findings",
                column: "Verdict");

            migrationBuilder.CreateIndex(
                name: "IX_scanned_files_Sha256",
                table: "scanned_files",
                column: "Sha256",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "evidence");

            migrationBuilder.DropTable(
                name: "finding_sources");

            migrationBuilder.DropTable(
                name: "findings");

            migrationBuilder.DropTable(
                name: "scanned_files");
        }
    }
}
