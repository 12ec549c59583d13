import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { defineConfig } from '../../src/index.js';
import { ConfigError } from '../../src/errors.js';
import { tempProject } from './helpers.js';

const expected = { migrations: 'db/migrations', minConfidence: 'medium', ignore: [{ id: 'public.legacy_*', reason: 'dropped in Q3' }] };

describe('loadConfig', () => {
  it('returns an empty config when there is none', async () => {
    await expect(loadConfig(tempProject({ 'package.json': '{"name":"x"}' }))).resolves.toEqual({ config: {} });
  });

  it('loads dead-schema.config.json, with a $schema key', async () => {
    const dir = tempProject({
      'dead-schema.config.json': JSON.stringify({ $schema: './node_modules/dead-schema/schema.json', ...expected }, null, 2),
    });
    const loaded = await loadConfig(dir);
    expect(loaded.config).toMatchObject(expected);
    expect(loaded.file).toBe(path.join(dir, 'dead-schema.config.json'));
  });

  it('loads dead-schema.config.mjs', async () => {
    const dir = tempProject({ 'dead-schema.config.mjs': `export default ${JSON.stringify(expected)};\n` });
    await expect(loadConfig(dir)).resolves.toEqual({ config: expected, file: path.join(dir, 'dead-schema.config.mjs') });
  });

  it('loads dead-schema.config.jsonc, and comments and trailing commas in .json too', async () => {
    const commented = [
      '{',
      '  // Where the schema comes from.',
      '  "migrations": "db/migrations",',
      '  /* drop candidates only */ "minConfidence": "medium",',
      '  "ignore": [{ "id": "public.legacy_*", "reason": "dropped in Q3", },],',
      '}',
      '',
    ].join('\n');
    for (const name of ['dead-schema.config.jsonc', 'dead-schema.config.json']) {
      const dir = tempProject({ [name]: commented });
      await expect(loadConfig(dir)).resolves.toEqual({ config: expected, file: path.join(dir, name) });
    }
    const both = tempProject({ 'dead-schema.config.json': '{}', 'dead-schema.config.jsonc': '{}' });
    await expect(loadConfig(both)).rejects.toThrow('dead-schema.config.json and dead-schema.config.jsonc');
  });

  it('loads a dead-schema.config.ts that imports a relative .ts file, writing nothing next to it', async () => {
    const dir = tempProject({
      'shared.ts': `import type { DeadSchemaConfig } from 'dead-schema';\nexport const ignored: DeadSchemaConfig['ignore'] = [{ id: 'public.legacy_*', reason: 'dropped in Q3' }];\n`,
      'dead-schema.config.ts': [`import { ignored } from './shared.js';`, `export default { migrations: 'db/migrations', minConfidence: 'medium' as const, ignore: ignored };`, ''].join('\n'),
    });
    await expect(loadConfig(dir)).resolves.toEqual({ config: expected, file: path.join(dir, 'dead-schema.config.ts') });
    expect(readdirSync(dir).sort()).toEqual(['dead-schema.config.ts', 'shared.ts']);
    // Read again after an edit: no stale module.
    writeFileSync(path.join(dir, 'dead-schema.config.ts'), `export default { migrations: 'elsewhere' };\n`);
    await expect(loadConfig(dir)).resolves.toEqual({ config: { migrations: 'elsewhere' }, file: path.join(dir, 'dead-schema.config.ts') });
  });

  it('loads dead-schema.config.ts without a TS runtime, erasing types, and leaves no temp file behind', async () => {
    const dir = tempProject({
      'shared.mjs': `export const ignored = [{ id: 'public.legacy_*', reason: 'dropped in Q3' }];\n`,
      'dead-schema.config.ts': [
        `import type { DeadSchemaConfig } from 'dead-schema';`,
        `import { ignored } from './shared.mjs';`,
        `type Level = 'low' | 'medium' | 'high';`,
        `const level: Level = 'medium';`,
        `const config = { migrations: 'db/migrations', minConfidence: level, ignore: ignored } satisfies DeadSchemaConfig;`,
        `export default config;`,
        '',
      ].join('\n'),
    });
    await expect(loadConfig(dir)).resolves.toEqual({ config: expected, file: path.join(dir, 'dead-schema.config.ts') });
    expect(readdirSync(dir).sort()).toEqual(['dead-schema.config.ts', 'shared.mjs']);
  });

  it('loads the "dead-schema" key of package.json', async () => {
    const dir = tempProject({ 'package.json': JSON.stringify({ name: 'app', 'dead-schema': expected }) });
    await expect(loadConfig(dir)).resolves.toEqual({ config: expected, file: path.join(dir, 'package.json') });
  });

  it('loads the file --config names, relative paths resolved by the caller', async () => {
    const dir = tempProject({ 'custom.json': JSON.stringify(expected), 'dead-schema.config.json': '{"failOn":"high"}' });
    await expect(loadConfig(dir, path.join(dir, 'custom.json'))).resolves.toEqual({ config: expected, file: path.join(dir, 'custom.json') });
  });

  it('is an error to have two configs in one folder, naming both', async () => {
    const dir = tempProject({ 'dead-schema.config.json': '{}', 'dead-schema.config.mjs': 'export default {};' });
    await expect(loadConfig(dir)).rejects.toThrow(`more than one config in ${dir}: dead-schema.config.json and dead-schema.config.mjs`);
    const withPackage = tempProject({ 'dead-schema.config.ts': 'export default {};', 'package.json': '{"dead-schema":{}}' });
    await expect(loadConfig(withPackage)).rejects.toThrow('dead-schema.config.ts and package.json "dead-schema"');
  });

  it('rejects a config file name it would otherwise ignore', async () => {
    const dir = tempProject({ 'dead-schema.config.js': 'export default {};' });
    await expect(loadConfig(dir)).rejects.toThrow('dead-schema.config.js is not a supported config file');
  });

  it('reports invalid JSON with file, line and column, on one line', async () => {
    const dir = tempProject({ 'dead-schema.config.json': '{\n  "migrations": "db"\n  "failOn": "high"\n}\n' });
    const error = await loadConfig(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('dead-schema.config.json:3:3: invalid JSON: comma expected');
    const unclosed = tempProject({ 'dead-schema.config.jsonc': '{\n  // open\n  "migrations": "db",\n' });
    await expect(loadConfig(unclosed)).rejects.toThrow(/^dead-schema\.config\.jsonc:4:1: invalid JSON: [a-z ]+$/);
  });

  it('reports a TS syntax error with its line, and a throwing config as a load error', async () => {
    const broken = tempProject({ 'dead-schema.config.ts': 'export default {\n  migrations: "db",,\n};\n' });
    await expect(loadConfig(broken)).rejects.toThrow(/^dead-schema\.config\.ts:2:20: /);
    const throwing = tempProject({ 'dead-schema.config.mjs': 'throw new Error("no env");\n' });
    await expect(loadConfig(throwing)).rejects.toThrow('dead-schema.config.mjs: cannot load: no env');
    const noDefault = tempProject({ 'dead-schema.config.mjs': 'export const config = {};\n' });
    await expect(loadConfig(noDefault)).rejects.toThrow('dead-schema.config.mjs has no default export');
  });

  it('names a missing --config file and a package.json without the key', async () => {
    const dir = tempProject({ 'package.json': '{"name":"x"}' });
    await expect(loadConfig(dir, path.join(dir, 'nope.json'))).rejects.toThrow(/config file .*nope\.json does not exist/);
    await expect(loadConfig(dir, path.join(dir, 'package.json'))).rejects.toThrow('has no "dead-schema" key');
  });

  it('exports defineConfig from the package entry as the identity', () => {
    const config = { migrations: 'db/migrations' };
    expect(defineConfig(config)).toBe(config);
  });
});
