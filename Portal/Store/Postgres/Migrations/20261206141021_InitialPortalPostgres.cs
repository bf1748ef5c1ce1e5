using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ShadowMcp.Portal.Store.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class InitialPortalPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "portal_api_tokens",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Group = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: true),
                    SecretHash = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: true),
                    RevokedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portal_api_tokens", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "portal_audit",
                columns: table => new
                {
                    Seq = table.Column<long>(type: "bigint", nullable: false),
                    Time = table.Column<long>(type: "bigint", nullable: false),
                    User = table.Column<string>(type: "text", nullable: false),
                    Group = table.Column<string>(type: "text", nullable: false),
                    ClientName = table.Column<string>(type: "text", nullable: true),
                    ClientVersion = table.Column<string>(type: "text", nullable: true),
                    Server = table.Column<string>(type: "text", nullable: true),
                    Method = table.Column<string>(type: "text", nullable: false),
                    Tool = table.Column<string>(type: "text", nullable: true),
                    ArgumentBytes = table.Column<long>(type: "bigint", nullable: false),
                    ArgumentHash = table.Column<string>(type: "text", nullable: true),
                    Arguments = table.Column<string>(type: "text", nullable: true),
                    DurationMs = table.Column<double>(type: "double precision", nullable: false),
                    Outcome = table.Column<string>(type: "text", nullable: false),
                    Decision = table.Column<string>(type: "text", nullable: false),
                    DlpHits = table.Column<string>(type: "text", nullable: true),
                    ExecutionId = table.Column<string>(type: "text", nullable: true),
                    Replica = table.Column<string>(type: "text", nullable: true),
                    PrevHash = table.Column<string>(type: "text", nullable: false),
                    Hash = table.Column<string>(type: "text", nullable: false),
                    HashKind = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portal_audit", x => x.Seq);
                });

            migrationBuilder.CreateTable(
                name: "portal_audit_head",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    Seq = table.Column<long>(type: "bigint", nullable: false),
                    Hash = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portal_audit_head", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "portal_pin_drifts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ServerId = table.Column<string>(type: "text", nullable: false),
                    ToolName = table.Column<string>(type: "text", nullable: false),
                    PinnedFingerprint = table.Column<string>(type: "text", nullable: true),
                    ObservedFingerprint = table.Column<string>(type: "text", nullable: false),
                    DetectedAt = table.Column<long>(type: "bigint", nullable: false),
                    Action = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portal_pin_drifts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "portal_tool_observations",
                columns: table => new
                {
                    ServerId = table.Column<string>(type: "text", nullable: false),
                    ToolName = table.Column<string>(type: "text", nullable: false),
                    Fingerprint = table.Column<string>(type: "text", nullable: false),
                    Annotations = table.Column<string>(type: "text", nullable: true),
                    SeenAt = table.Column<long>(type: "bigint", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portal_tool_observations", x => new { x.ServerId, x.ToolName });
                });

            migrationBuilder.CreateTable(
                name: "portal_tool_pins",
                columns: table => new
                {
                    ServerId = table.Column<string>(type: "text", nullable: false),
                    ToolName = table.Column<string>(type: "text", nullable: false),
                    Fingerprint = table.Column<string>(type: "text", nullable: false),
                    Annotations = table.Column<string>(type: "text", nullable: true),
                    PinnedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portal_tool_pins", x => new { x.ServerId, x.ToolName });
                });

            migrationBuilder.CreateTable(
                name: "portal_upstream_state",
                columns: table => new
                {
                    ServerId = table.Column<string>(type: "text", nullable: false),
                    Healthy = table.Column<bool>(type: "boolean", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    LastSeenAt = table.Column<long>(type: "bigint", nullable: true),
                    ToolCount = table.Column<int>(type: "integer", nullable: false),
                    ApprovedAt = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_portal_upstream_state", x => x.ServerId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_portal_api_tokens_SecretHash",
                table: "portal_api_tokens",
                column: "SecretHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "portal_api_tokens");

            migrationBuilder.DropTable(
                name: "portal_audit");

            migrationBuilder.DropTable(
                name: "portal_audit_head");

            migrationBuilder.DropTable(
                name: "portal_pin_drifts");

            migrationBuilder.DropTable(
                name: "portal_tool_observations");

            migrationBuilder.DropTable(
                name: "portal_tool_pins");

            migrationBuilder.DropTable(
                name: "portal_upstream_state");
        }
    }
}
