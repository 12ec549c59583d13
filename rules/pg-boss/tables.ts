/**
 * The tables pg-boss creates in its schema and reads and writes itself, from node_modules. Read
 * from the library's source at tag 12.27.0 (github.com/timgit/pg-boss):
 * - src/plans.ts: `create()` and the createTable* functions it calls (version, queue, schedule,
 *   subscription, bam, job and its default partition job_common, warning, queue_stats,
 *   job_dependency), with the migrations in src/migrationStore.ts bringing older schemas to the
 *   same columns;
 * - src/schema.json: the manifest generated from that schema (schema version 37), which lists
 *   the same tables and columns for both the partitioned and the `noTablePartitioning` layouts.
 * The previous major, tag 11.1.2 (src/plans.js `create()`), creates version, queue, schedule,
 * subscription, job and job_common with a subset of these columns, so one list serves both
 * majors: a name v11 never created is simply absent from a v11 database. Releases before 11 (an
 * `archive` table) need a fresh schema to move to 11 and are not covered.
 * Not listed: the per-queue partitions of `job` (`j` + a hash of the queue name, for
 * `partition: true` queues) and the daily partitions of `queue_stats`; partitions are their
 * parent table to the audit. The enum type `job_state` is alive through `job.state`.
 */
export const DEFAULT_SCHEMA = 'pgboss';

const JOB = [
  'id', 'name', 'priority', 'data', 'state', 'retry_limit', 'retry_count', 'retry_delay', 'retry_backoff', 'retry_delay_max',
  'expire_seconds', 'deletion_seconds', 'singleton_key', 'singleton_on', 'group_id', 'group_tier', 'start_after', 'created_on',
  'started_on', 'completed_on', 'keep_until', 'output', 'dead_letter', 'policy', 'heartbeat_on', 'heartbeat_seconds', 'blocked',
  'blocking', 'pending_dependencies', 'source_name', 'source_id', 'source_created_on', 'source_retry_count',
];

/** Table → its columns, as pg-boss names them. */
export const TABLES: Readonly<Record<string, readonly string[]>> = {
  version: ['version', 'cron_on', 'bam_on', 'flow_on'],
  queue: [
    'name', 'policy', 'retry_limit', 'retry_delay', 'retry_backoff', 'retry_delay_max', 'expire_seconds', 'retention_seconds',
    'deletion_seconds', 'dead_letter', 'partition', 'table_name', 'deferred_count', 'queued_count', 'ready_count', 'warning_queued',
    'active_count', 'failed_count', 'total_count', 'ready_history', 'heartbeat_seconds', 'notify', 'singletons_active', 'monitor_on',
    'maintain_on', 'created_on', 'updated_on',
  ],
  schedule: ['name', 'key', 'cron', 'timezone', 'data', 'options', 'created_on', 'updated_on'],
  subscription: ['event', 'name', 'created_on', 'updated_on'],
  bam: ['id', 'name', 'version', 'status', 'queue', 'table_name', 'command', 'error', 'created_on', 'started_on', 'completed_on'],
  job: JOB,
  job_common: JOB,
  warning: ['id', 'type', 'message', 'data', 'created_on'],
  queue_stats: ['id', 'name', 'deferred_count', 'queued_count', 'ready_count', 'active_count', 'failed_count', 'total_count', 'captured_on'],
  job_dependency: ['child_name', 'child_id', 'parent_name', 'parent_id'],
};
