using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ShadowMcp.Core.Store.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class InitialPostgresStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "findings",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    EndpointKey = table.Column<string>(type: "text", nullable: false),
                    Address = table.Column<string>(type: "text", nullable: true),
                    Port = table.Column<int>(type: "integer", nullable: true),
                    Host = table.Column<string>(type: "text", nullable: true),
                    Path = table.Column<string>(type: "text", nullable: true),
                    Transport = table.Column<string>(type: "text", nullable: false),
                    Verdict = table.Column<string>(type: "text", nullable: false),
                    VerdictReason = table.Column<string>(type: "text", nullable: true),
                    Confidence = table.Column<double>(type: "double precision", nullable: false),
                    ServerName = table.Column<string>(type: "text", nullable: true),
                    ServerVersion = table.Column<string>(type: "text", nullable: true),
                    Flows = table.Column<int>(type: "integer", nullable: false),
                    FirstSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    HostsJson = table.Column<string>(type: "text", nullable: false),
                    AddressNamesJson = table.Column<string>(type: "text", nullable: false),
                    ProtocolVersionsJson = table.Column<string>(type: "text", nullable: false),
                    ClientsJson = table.Column<string>(type: "text", nullable: false),
                    ClientAppsJson = table.Column<string>(type: "text", nullable: false),
                    ToolsJson = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_findings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "host_ingest_audit",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Remote = table.Column<string>(type: "text", nullable: false),
                    Outcome = table.Column<string>(type: "text", nullable: false),
                    HostName = table.Column<string>(type: "text", nullable: true),
                    ScanId = table.Column<string>(type: "text", nullable: true),
                    Detail = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_ingest_audit", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "host_scans",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HostName = table.Column<string>(type: "text", nullable: false),
                    ScanId = table.Column<string>(type: "text", nullable: false),
                    ScannedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Os = table.Column<string>(type: "text", nullable: false),
                    FilesRead = table.Column<int>(type: "integer", nullable: false),
                    Problems = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_scans", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "scanned_files",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Sha256 = table.Column<string>(type: "text", nullable: false),
                    Path = table.Column<string>(type: "text", nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    ScannedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Packets = table.Column<long>(type: "bigint", nullable: false),
                    Bytes = table.Column<long>(type: "bigint", nullable: false),
                    Flows = table.Column<long>(type: "bigint", nullable: false),
                    Malformed = table.Column<long>(type: "bigint", nullable: false),
                    AnalyzerFaults = table.Column<long>(type: "bigint", nullable: false),
                    CaptureReceived = table.Column<long>(type: "bigint", nullable: true),
                    CaptureDropped = table.Column<long>(type: "bigint", nullable: true),
                    CaptureInterfaceDropped = table.Column<long>(type: "bigint", nullable: true),
                    Error = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scanned_files", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "evidence",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FindingId = table.Column<long>(type: "bigint", nullable: false),
                    Rule = table.Column<string>(type: "text", nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    Level = table.Column<string>(type: "text", nullable: false),
                    Detail = table.Column<string>(type: "text", nullable: false),
                    Weight = table.Column<double>(type: "double precision", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false),
                    FirstSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Example = table.Column<string>(type: "text", nullable: true)
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
                name: "host_secrets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HostScanId = table.Column<long>(type: "bigint", nullable: false),
                    Agent = table.Column<string>(type: "text", nullable: false),
                    ConfigPath = table.Column<string>(type: "text", nullable: false),
                    Server = table.Column<string>(type: "text", nullable: false),
                    Location = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_secrets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_host_secrets_host_scans_HostScanId",
                        column: x => x.HostScanId,
                        principalTable: "host_scans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "host_servers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HostScanId = table.Column<long>(type: "bigint", nullable: false),
                    Agent = table.Column<string>(type: "text", nullable: false),
                    Scope = table.Column<string>(type: "text", nullable: false),
                    ConfigPath = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Transport = table.Column<string>(type: "text", nullable: false),
                    Launcher = table.Column<string>(type: "text", nullable: true),
                    Ecosystem = table.Column<string>(type: "text", nullable: true),
                    Package = table.Column<string>(type: "text", nullable: true),
                    Version = table.Column<string>(type: "text", nullable: true),
                    Url = table.Column<string>(type: "text", nullable: true),
                    Enabled = table.Column<bool>(type: "boolean", nullable: false),
                    Verdict = table.Column<string>(type: "text", nullable: false),
                    VerdictReason = table.Column<string>(type: "text", nullable: true),
                    Endpoint = table.Column<string>(type: "text", nullable: false),
                    Origin = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_servers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_host_servers_host_scans_HostScanId",
                        column: x => x.HostScanId,
                        principalTable: "host_scans",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "finding_activity",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FindingId = table.Column<long>(type: "bigint", nullable: false),
                    ScannedFileId = table.Column<long>(type: "bigint", nullable: false),
                    Hour = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Flows = table.Column<int>(type: "integer", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "finding_sources",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FindingId = table.Column<long>(type: "bigint", nullable: false),
                    ScannedFileId = table.Column<long>(type: "bigint", nullable: false),
                    FirstSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSeen = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FindingJson = table.Column<string>(type: "text", nullable: false)
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
                name: "IX_finding_activity_FindingId_Hour",
                table: "finding_activity",
                columns: new[] { "FindingId", "Hour" });

            migrationBuilder.CreateIndex(
                name: "IX_finding_activity_Hour_FindingId_Flows",
                table: "finding_activity",
                columns: new[] { "Hour", "FindingId", "Flows" });

            migrationBuilder.CreateIndex(
                name: "IX_finding_activity_ScannedFileId",
                table: "finding_activity",
                column: "ScannedFileId");

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
                name: "IX_host_ingest_audit_At",
                table: "host_ingest_audit",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_host_scans_HostName_ScanId",
                table: "host_scans",
                columns: new[] { "HostName", "ScanId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_host_scans_ScannedAt",
                table: "host_scans",
                column: "ScannedAt");

            migrationBuilder.CreateIndex(
                name: "IX_host_secrets_HostScanId",
                table: "host_secrets",
                column: "HostScanId");

            migrationBuilder.CreateIndex(
                name: "IX_host_servers_HostScanId",
                table: "host_servers",
                column: "HostScanId");

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
                name: "finding_activity");

            migrationBuilder.DropTable(
                name: "finding_sources");

            migrationBuilder.DropTable(
                name: "host_ingest_audit");

            migrationBuilder.DropTable(
                name: "host_secrets");

            migrationBuilder.DropTable(
                name: "host_servers");

            migrationBuilder.DropTable(
                name: "findings");

            migrationBuilder.DropTable(
                name: "scanned_files");

            migrationBuilder.DropTable(
                name: "host_scans");
        }
    }
}
