using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ShadowMcp.Core.Store.Migrations
{
    /// <summary>
    /// A live capture session keeps libpcap's received/dropped/interface-dropped counters, and every scanned file
    /// its count of analyzer faults, so "did the sensor see everything" is answered from the store.
    /// </summary>
    [DbContext(typeof(ShadowMcpDbContext))]
    [Migration("20261204170000_H13CaptureCounters")]
    public partial class H13CaptureCounters : Migration
    {
        private static readonly string[] NullableCounters = ["CaptureReceived", "CaptureDropped", "CaptureInterfaceDropped"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var column in NullableCounters)
                migrationBuilder.AddColumn<long>(name: column, table: "scanned_files", type: "INTEGER", nullable: true);
            migrationBuilder.AddColumn<long>(name: "AnalyzerFaults", table: "scanned_files", type: "INTEGER", nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // SQLite drops a column natively (3.35+); EF's generator would need a Designer model to rebuild the table.
            foreach (var column in (string[])[.. NullableCounters, "AnalyzerFaults"])
                migrationBuilder.Sql($"ALTER TABLE scanned_files DROP COLUMN {column};");
        }
    }
}
