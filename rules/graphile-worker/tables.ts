/**
 * The relations graphile-worker creates in its schema and reads and writes itself, from
 * node_modules. Read from the library's source at tag v0.17.3 (github.com/graphile/worker):
 * - sql/000001.sql … sql/000019.sql, the migrations it runs on start (`:GRAPHILE_WORKER_SCHEMA`
 *   is the configured schema); __tests__/schema.sql is their result at that tag and agrees;
 * - src/migrate.ts `installSchema`: the `migrations` table (id, ts, breaking);
 * - src/config.ts: the default schema `graphile_worker`, replaced by GRAPHILE_WORKER_SCHEMA or
 *   the `schema` option (src/lib.ts).
 * v0.16.x runs the same migrations but 000019 (a marker that changes nothing), so its list is
 * the same. Releases before v0.16 used the names migration 000016 renamed (`jobs`, `job_queues`,
 * `tasks`, `known_crontabs`), and before v0.14 (000011) other columns: those names are listed
 * too, with the union of their columns over the migrations, since a database has either the old
 * or the new names, never both. `jobs` is a table before v0.16 and a view (000017) after.
 * Functions (`add_job`, `add_jobs`, `complete_jobs`, `force_unlock_workers`,
 * `permanently_fail_jobs`, `remove_job`, `reschedule_jobs`) and the `job_spec` type are not
 * listed: a rule reference names relations and columns only.
 */
export const DEFAULT_SCHEMA = 'graphile_worker';

const JOBS = [
  'id', 'job_queue_id', 'task_id', 'payload', 'priority', 'run_at', 'attempts', 'max_attempts', 'last_error', 'created_at', 'updated_at',
  'key', 'locked_at', 'locked_by', 'revision', 'flags', 'is_available',
];
const JOB_QUEUES = ['id', 'queue_name', 'locked_at', 'locked_by', 'is_available'];
const TASKS = ['id', 'identifier'];
const KNOWN_CRONTABS = ['identifier', 'known_since', 'last_execution'];

/** Relation → its columns, as graphile-worker names them. */
export const TABLES: Readonly<Record<string, readonly string[]>> = {
  _private_jobs: JOBS,
  _private_job_queues: JOB_QUEUES,
  _private_tasks: TASKS,
  _private_known_crontabs: KNOWN_CRONTABS,
  migrations: ['id', 'ts', 'breaking'],
  // The public view since v0.16; before, the jobs table (v0.14–v0.15 columns, then those of v0.13 and earlier).
  jobs: [...JOBS, 'queue_name', 'task_identifier'],
  // Names before v0.16 (and `job_count` before v0.14).
  job_queues: [...JOB_QUEUES, 'job_count'],
  tasks: TASKS,
  known_crontabs: KNOWN_CRONTABS,
};

/** Relations the library only reads: `jobs` is a view since v0.16 (a table the worker wrote before). */
export const READ_ONLY: ReadonlySet<string> = new Set(['jobs']);
