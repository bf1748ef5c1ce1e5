using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Core.Store.Migrations
{
    /// <inheritdoc />
    public partial class CaptureLosses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "capture_losses",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ScannedFileId = table.Column<long>(type: "INTEGER", nullable: false),
                    At = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CaptureDropped = table.Column<long>(type: "INTEGER", nullable: false),
                    CaptureInterfaceDropped = table.Column<long>(type: "INTEGER", nullable: false),
                    EndpointsEvicted = table.Column<long>(type: "INTEGER", nullable: false),
                    ContextEndpointsEvicted = table.Column<long>(type: "INTEGER", nullable: false),
                    EndpointHitsFolded = table.Column<long>(type: "INTEGER", nullable: false),
                    AddressNamesForgotten = table.Column<long>(type: "INTEGER", nullable: false),
                    ClientsDisplaced = table.Column<long>(type: "INTEGER", nullable: false),
                    NamesDisplaced = table.Column<long>(type: "INTEGER", nullable: false),
                    UntrustedResolverAnswers = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_capture_losses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_capture_losses_scanned_files_ScannedFileId",
                        column: x => x.ScannedFileId,
                        principalTable: "scanned_files",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_capture_losses_At",
                table: "capture_losses",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_capture_losses_ScannedFileId",
                table: "capture_losses",
                column: "ScannedFileId");

            // Captures saved before this table: their counters so far are their loss at their last save.
            migrationBuilder.Sql("""
                INSERT INTO capture_losses ("ScannedFileId", "At", "CaptureDropped", "CaptureInterfaceDropped", "EndpointsEvicted",
                    "ContextEndpointsEvicted", "EndpointHitsFolded", "AddressNamesForgotten", "ClientsDisplaced", "NamesDisplaced",
                    "UntrustedResolverAnswers")
                SELECT "Id", "ScannedAt", COALESCE("CaptureDropped", 0), COALESCE("CaptureInterfaceDropped", 0), "EndpointsEvicted",
                    "ContextEndpointsEvicted", "EndpointHitsFolded", "AddressNamesForgotten", "ClientsDisplaced", "NamesDisplaced",
                    "UntrustedResolverAnswers"
                FROM scanned_files
                WHERE COALESCE("CaptureDropped", 0) > 0 OR COALESCE("CaptureInterfaceDropped", 0) > 0 OR "EndpointsEvicted" > 0
                    OR "ContextEndpointsEvicted" > 0 OR "EndpointHitsFolded" > 0 OR "AddressNamesForgotten" > 0
                    OR "ClientsDisplaced" > 0 OR "NamesDisplaced" > 0 OR "UntrustedResolverAnswers" > 0
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "capture_losses");
        }
    }
}
