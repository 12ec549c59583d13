import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { glob } from 'tinyglobby';

export type MigrationTool =
  | 'knex'
  | 'kysely'
  | 'typeorm'
  | 'sequelize'
  | 'node-pg-migrate'
  | 'db-migrate'
  | 'mikro-orm'
  | 'drizzle-kit'
  | 'package-script';

export interface DetectedMigrationTool {
  tool: MigrationTool;
  /** Run through the shell in the project directory, with DATABASE_URL set (see runMigrationCommand). */
  command: string;
  /** What was found, for `init` and messages. */
  why: string;
}

interface PackageJson {
  type?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

interface Project {
  dir: string;
  pkg: PackageJson;
  deps: Set<string>;
  /** Root files and folders plus config files one folder down, relative, `/`-separated. */
  files: string[];
  /** The migrations folder the command is for, absolute, when the caller knows it. */
  migrationsDir: string | undefined;
}

/** Config files some tools look for; found in the project root (kysely-ctl also reads .config/). */
const CONFIG_GLOBS = ['*', '.*', '.config/*', 'src/**/*{data-source,datasource,ormconfig}*.{ts,mts,cts,js,mjs,cjs}'];

/**
 * The migration tools a project uses and the command that applies its migrations, most
 * specific first: tool presets from dependencies and config files, then package.json scripts
 * that look like "apply migrations". Reads files only; runs nothing. Presets that name their
 * folder (dead-schema's Kysely migrator) need `migrationsDir`.
 */
export async function detectMigrationTools(projectDir: string, migrationsDir?: string): Promise<DetectedMigrationTool[]> {
  const pkg = await readPackageJson(projectDir);
  const files = await glob(CONFIG_GLOBS, { cwd: projectDir, dot: true, ignore: ['**/node_modules/**', '**/dist/**'], deep: 5, expandDirectories: false });
  const project: Project = { dir: projectDir, pkg, deps: new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]), files: files.sort(), migrationsDir: migrationsDir === undefined ? undefined : path.resolve(projectDir, migrationsDir) };
  const found: DetectedMigrationTool[] = [];
  for (const detect of DETECTORS) {
    const result = await detect(project);
    if (result !== undefined) found.push(result);
  }
  return [...found, ...migrateScripts(project)];
}

type Detector = (project: Project) => Promise<DetectedMigrationTool | undefined> | DetectedMigrationTool | undefined;

const DETECTORS: Detector[] = [
  (p) => {
    const file = first(p, /^knexfile\.(js|ts|cjs|mjs)$/);
    if (!p.deps.has('knex') || file === undefined) return undefined;
    // knex finds knexfile.js by itself; other extensions must be named.
    const flag = file === 'knexfile.js' ? '' : ` --knexfile ${file}`;
    return { tool: 'knex', command: `npx knex migrate:latest${flag}`, why: `knex in package.json and ${file}` };
  },
  kysely,
  typeorm,
  (p) => {
    if (!p.deps.has('sequelize-cli') && !p.files.includes('.sequelizerc')) return undefined;
    // --url overrides config/config.json, which usually names a real database.
    return { tool: 'sequelize', command: 'npx sequelize-cli db:migrate --url "$DATABASE_URL"', why: p.deps.has('sequelize-cli') ? 'sequelize-cli in package.json' : '.sequelizerc' };
  },
  (p) => (p.deps.has('node-pg-migrate') ? { tool: 'node-pg-migrate', command: 'npx node-pg-migrate up', why: 'node-pg-migrate in package.json (it reads DATABASE_URL)' } : undefined),
  // db-migrate prefers DATABASE_URL over database.json when it is set.
  (p) => (p.deps.has('db-migrate') ? { tool: 'db-migrate', command: 'npx db-migrate up', why: 'db-migrate in package.json' } : undefined),
  (p) => {
    const dep = ['@mikro-orm/migrations', '@mikro-orm/cli'].find((d) => p.deps.has(d));
    return dep === undefined ? undefined : { tool: 'mikro-orm', command: 'npx mikro-orm migration:up', why: `${dep} in package.json` };
  },
  (p) => {
    const file = first(p, /^drizzle\.config\.([cm]?[jt]s|json)$/);
    if (!p.deps.has('drizzle-kit') || file === undefined) return undefined;
    const flag = file === 'drizzle.config.ts' ? '' : ` --config ${file}`;
    return { tool: 'drizzle-kit', command: `npx drizzle-kit migrate${flag}`, why: `drizzle-kit in package.json and ${file}` };
  },
];

/**
 * kysely-ctl when the project set it up. Otherwise dead-schema's own migrator: Kysely has no
 * standard CLI, and the app script a project migrates with (`tsx src/database/migrate.ts`)
 * imports its config, .env and dialect, which fail outside the installed, configured app.
 */
function kysely(p: Project): DetectedMigrationTool | undefined {
  const file = first(p, /^(\.config\/)?kysely\.config\.[cm]?[jt]s$/);
  if (p.deps.has('kysely-ctl') || file !== undefined) {
    return { tool: 'kysely', command: 'npx kysely migrate:latest', why: p.deps.has('kysely-ctl') ? `kysely-ctl in package.json${file ? ` and ${file}` : ''}` : `${file ?? ''}` };
  }
  if (!p.deps.has('kysely') || p.migrationsDir === undefined) return undefined;
  const folder = path.relative(p.dir, p.migrationsDir) || '.';
  return {
    tool: 'kysely',
    command: kyselyMigratorCommand(folder),
    why: `kysely in package.json and no kysely-ctl config: dead-schema's own Kysely Migrator applies ${folder.split(path.sep).join('/')}`,
  };
}

/** dead-schema's Kysely migrator script, next to this module once built (dist/src/schema/run-migrations/). */
export const KYSELY_MIGRATOR = fileURLToPath(new URL('./kysely-migrator.js', import.meta.url));

/** The shell command that runs `script` (the built migrator by default) with this Node on `migrationsDir`. */
export function kyselyMigratorCommand(migrationsDir: string, script: string = KYSELY_MIGRATOR): string {
  return [process.execPath, script, migrationsDir].map(shellQuote).join(' ');
}

/** Quoted for the shell runMigrationCommand uses: `sh -c` on POSIX, `cmd.exe` on Windows. */
function shellQuote(word: string): string {
  return process.platform === 'win32' ? `"${word}"` : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * TypeORM needs its DataSource file named: taken from a package.json script that passes
 * `-d`, else the first config-like file that constructs a DataSource. A `.ts` file runs
 * through TypeORM's ts-node wrappers, the ESM one in a `"type": "module"` package.
 */
async function typeorm(p: Project): Promise<DetectedMigrationTool | undefined> {
  if (!p.deps.has('typeorm')) return undefined;
  let file: string | undefined;
  let why = 'typeorm in package.json';
  for (const [name, body] of Object.entries(p.pkg.scripts ?? {})) {
    const match = /\btypeorm[\w-]*\b.*?(?:-d|--dataSource)[\s=]+["']?([^\s"']+)/.exec(body);
    if (match?.[1] !== undefined) {
      file = match[1];
      why += ` and the data source in script "${name}"`;
      break;
    }
  }
  for (const candidate of file === undefined ? p.files.filter((f) => /(data-?source|ormconfig)[^/]*\.[cm]?[jt]s$/i.test(f)) : []) {
    const text = await readFile(path.join(p.dir, candidate), 'utf8').catch(() => '');
    if (/new\s+DataSource\s*\(/.test(text)) {
      file = candidate;
      why += ` and ${candidate}`;
      break;
    }
  }
  if (file === undefined) return undefined;
  const runner = !/\.[cm]?ts$/.test(file) ? 'typeorm' : p.pkg.type === 'module' || file.endsWith('.mts') ? 'typeorm-ts-node-esm' : 'typeorm-ts-node-commonjs';
  return { tool: 'typeorm', command: `npx ${runner} migration:run -d ${file}`, why };
}

/** Script names that apply migrations; ones that create, undo, inspect or reset them are left out. */
const APPLY_SCRIPT = /^(db[:_-])?(migrate|migrations?)([:_-](up|latest|run|deploy|apply))?$/i;

function migrateScripts(p: Project): DetectedMigrationTool[] {
  const run = runCommandOf(p.files);
  return Object.entries(p.pkg.scripts ?? {})
    .filter(([name]) => APPLY_SCRIPT.test(name))
    .map(([name, body]) => ({ tool: 'package-script' as const, command: `${run} ${name}`, why: `package.json script "${name}": ${body}` }));
}

/** The package manager whose lockfile is there, so the script runs as the project runs it. */
function runCommandOf(files: string[]): string {
  if (files.includes('pnpm-lock.yaml')) return 'pnpm run';
  if (files.includes('yarn.lock')) return 'yarn run';
  if (files.includes('bun.lockb') || files.includes('bun.lock')) return 'bun run';
  return 'npm run';
}

function first(p: Project, pattern: RegExp): string | undefined {
  return p.files.find((f) => pattern.test(f));
}

async function readPackageJson(dir: string): Promise<PackageJson> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as PackageJson) : {};
  } catch {
    return {};
  }
}
