using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Core.Store.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DetectionLimitCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AddressNamesForgotten",
                table: "scanned_files",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "ClientsDisplaced",
                table: "scanned_files",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "ContextEndpointsEvicted",
                table: "scanned_files",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "EndpointHitsFolded",
                table: "scanned_files",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "EndpointsEvicted",
                table: "scanned_files",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "NamesDisplaced",
                table: "scanned_files",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "UntrustedResolverAnswers",
                table: "scanned_files",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AddressNamesForgotten",
                table: "scanned_files");

            migrationBuilder.DropColumn(
                name: "ClientsDisplaced",
                table: "scanned_files");

            migrationBuilder.DropColumn(
                name: "ContextEndpointsEvicted",
                table: "scanned_files");

            migrationBuilder.DropColumn(
                name: "EndpointHitsFolded",
                table: "scanned_files");

            migrationBuilder.DropColumn(
                name: "EndpointsEvicted",
                table: "scanned_files");

            migrationBuilder.DropColumn(
                name: "NamesDisplaced",
                table: "scanned_files");

            migrationBuilder.DropColumn(
                name: "UntrustedResolverAnswers",
                table: "scanned_files");
        }
    }
}
