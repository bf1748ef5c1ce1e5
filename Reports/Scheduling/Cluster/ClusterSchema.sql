-- The report scheduler's own table on a shared PostgreSQL store: one row per report period, claimed by the
-- instance that makes it (see PostgresReportRunLog). Idempotent: run at every start, under the migration lock.
CREATE TABLE IF NOT EXISTS report_runs (
  period text NOT NULL PRIMARY KEY,
  due_at timestamp with time zone NOT NULL,
  started_at timestamp with time zone NOT NULL,
  finished_at timestamp with time zone NULL,
  status text NOT NULL,
  error text NULL,
  instance_id text NOT NULL
);
