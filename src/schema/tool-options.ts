/** Running project tooling: allowed or not, an explicit migration command, its time limit. */
export interface ProjectTools {
  /** The user allowed running project code. */
  allowed: boolean;
  /** An explicit command (`--migrate-command`, config `migrateCommand`) and the folder it runs in. */
  command?: { command: string; cwd: string };
  /** How long a command may run. */
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  /** Paths in messages are relative to it (the CLI's working directory). */
  cwd: string;
  /** One line for the user (stderr), before anything runs. */
  notice?: (line: string) => void;
}

/** A schema definition with no migrations, and the tool that turns it into SQL. */
export interface GeneratedSchema {
  tool: 'prisma' | 'drizzle-kit';
  /** The `schema.prisma`, or the drizzle config naming the schema files. */
  file: string;
}
