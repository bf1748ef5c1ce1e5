using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Core.Store.Migrations
{
    /// <summary>Host inventories posted by `shadowmcp host scan --report-to`: scans, servers, secrets (no values), ingest audit.</summary>
    [DbContext(typeof(ShadowMcpDbContext))]
    [Migration("20261204170000_HostInventoryH16")]
    public partial class HostInventoryH16 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "host_ingest_audit",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Remote = table.Column<string>(type: "TEXT", nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", nullable: false),
                    HostName = table.Column<string>(type: "TEXT", nullable: true),
                    ScanId = table.Column<string>(type: "TEXT", nullable: true),
                    Detail = table.Column<string>(type: "TEXT", nullable: true),
                },
                constraints: table => table.PrimaryKey("PK_host_ingest_audit", x => x.Id));

            migrationBuilder.CreateTable(
                name: "host_scans",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                    HostName = table.Column<string>(type: "TEXT", nullable: false),
                    ScanId = table.Column<string>(type: "TEXT", nullable: false),
                    ScannedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Os = table.Column<string>(type: "TEXT", nullable: false),
                    FilesRead = table.Column<int>(type: "INTEGER", nullable: false),
                    Problems = table.Column<int>(type: "INTEGER", nullable: false),
                },
                constraints: table => table.PrimaryKey("PK_host_scans", x => x.Id));

            migrationBuilder.CreateTable(
                name: "host_secrets",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                    HostScanId = table.Column<long>(type: "INTEGER", nullable: false),
                    Agent = table.Column<string>(type: "TEXT", nullable: false),
                    ConfigPath = table.Column<string>(type: "TEXT", nullable: false),
                    Server = table.Column<string>(type: "TEXT", nullable: false),
                    Location = table.Column<string>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", nullable: false),
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_secrets", x => x.Id);
                    table.ForeignKey("FK_host_secrets_host_scans_HostScanId", x => x.HostScanId, "host_scans", "Id", onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "host_servers",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                    HostScanId = table.Column<long>(type: "INTEGER", nullable: false),
                    Agent = table.Column<string>(type: "TEXT", nullable: false),
                    Scope = table.Column<string>(type: "TEXT", nullable: false),
                    ConfigPath = table.Column<string>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", nullable: false),
                    Transport = table.Column<string>(type: "TEXT", nullable: false),
                    Launcher = table.Column<string>(type: "TEXT", nullable: true),
                    Ecosystem = table.Column<string>(type: "TEXT", nullable: true),
                    Package = table.Column<string>(type: "TEXT", nullable: true),
                    Version = table.Column<string>(type: "TEXT", nullable: true),
                    Url = table.Column<string>(type: "TEXT", nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Verdict = table.Column<string>(type: "TEXT", nullable: false),
                    VerdictReason = table.Column<string>(type: "TEXT", nullable: true),
                    Endpoint = table.Column<string>(type: "TEXT", nullable: false),
                    Origin = table.Column<string>(type: "TEXT", nullable: false),
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_host_servers", x => x.Id);
                    table.ForeignKey("FK_host_servers_host_scans_HostScanId", x => x.HostScanId, "host_scans", "Id", onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(name: "IX_host_ingest_audit_At", table: "host_ingest_audit", column: "At");
            migrationBuilder.CreateIndex(name: "IX_host_scans_HostName_ScanId", table: "host_scans", columns: new[] { "HostName", "ScanId" }, unique: true);
            migrationBuilder.CreateIndex(name: "IX_host_scans_ScannedAt", table: "host_scans", column: "ScannedAt");
            migrationBuilder.CreateIndex(name: "IX_host_secrets_HostScanId", table: "host_secrets", column: "HostScanId");
            migrationBuilder.CreateIndex(name: "IX_host_servers_HostScanId", table: "host_servers", column: "HostScanId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(name: "host_ingest_audit");
            migrationBuilder.DropTable(name: "host_secrets");
            migrationBuilder.DropTable(name: "host_servers");
            migrationBuilder.DropTable(name: "host_scans");
        }
    }
}
