using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ShadowMcp.Enforcer.Store.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class InitialEnforcerPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "enforcer_actions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    RunId = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Actor = table.Column<string>(type: "text", nullable: false),
                    Command = table.Column<string>(type: "text", nullable: false),
                    Backend = table.Column<string>(type: "text", nullable: false),
                    Result = table.Column<string>(type: "text", nullable: false),
                    Error = table.Column<string>(type: "text", nullable: true),
                    AddedJson = table.Column<string>(type: "text", nullable: false),
                    RemovedJson = table.Column<string>(type: "text", nullable: false),
                    BeforeJson = table.Column<string>(type: "text", nullable: false),
                    StateKnown = table.Column<bool>(type: "boolean", nullable: false),
                    AfterJson = table.Column<string>(type: "text", nullable: false),
                    IntentJson = table.Column<string>(type: "text", nullable: true),
                    BeforeFile = table.Column<string>(type: "text", nullable: true),
                    RunnerPid = table.Column<int>(type: "integer", nullable: true),
                    RunnerStart = table.Column<long>(type: "bigint", nullable: true),
                    RollsBackTo = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enforcer_actions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "enforcer_backend_state",
                columns: table => new
                {
                    Backend = table.Column<string>(type: "text", nullable: false),
                    DesiredJson = table.Column<string>(type: "text", nullable: false),
                    AppliedJson = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enforcer_backend_state", x => x.Backend);
                });

            migrationBuilder.CreateTable(
                name: "enforcer_dead_letters",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Url = table.Column<string>(type: "text", nullable: false),
                    EventJson = table.Column<string>(type: "text", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enforcer_dead_letters", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "enforcer_ttl",
                columns: table => new
                {
                    EntryKey = table.Column<string>(type: "text", nullable: false),
                    BlockedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ExpiredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_enforcer_ttl", x => x.EntryKey);
                });

            migrationBuilder.CreateIndex(
                name: "IX_enforcer_actions_Backend_Id",
                table: "enforcer_actions",
                columns: new[] { "Backend", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_enforcer_actions_RunId",
                table: "enforcer_actions",
                column: "RunId");

            migrationBuilder.CreateIndex(
                name: "IX_enforcer_ttl_ExpiresAt",
                table: "enforcer_ttl",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "enforcer_actions");

            migrationBuilder.DropTable(
                name: "enforcer_backend_state");

            migrationBuilder.DropTable(
                name: "enforcer_dead_letters");

            migrationBuilder.DropTable(
                name: "enforcer_ttl");
        }
    }
}
