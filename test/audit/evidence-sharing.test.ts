import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFiles } from '../support/project-files.js';
import { audit } from '../../src/run.js';
import type { StoredEvidence } from '../../src/match/evidence-store.js';

const tables = ['invoices', 'payments', 'refunds', 'disputes'];

describe('evidence of a common column name', () => {
  // Many tables with a `type` column, code reading `row.type` everywhere, and a Python service
  // saying "type" too: every column's evidence must share the mentions, not copy them (sim:
  // 12 million copied items, a 500 MB evidence file and an out-of-memory crash).
  it('is held once for every column so named, also when other-language words are filtered per table', async () => {
    const root = projectFiles({
      'package.json': JSON.stringify({ name: 'billing' }),
      'migrations/001_init.sql': tables.map((t) => `CREATE TABLE ${t} (id serial PRIMARY KEY, type text, amount int);`).join('\n'),
      'src/read.ts': Array.from({ length: 60 }, (_, i) => `export const read${i} = (row: any) => row.type;`).join('\n'),
      'src/queries.ts': tables.map((t) => `export const q_${t} = (sql: any) => sql\`SELECT id, amount FROM ${t}\`;`).join('\n'),
      'worker/report.py': 'def report(row):\n    return row["type"], "invoices"\n',
    });
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'dead-schema-sharing-'));
    await audit({ root, migrations: path.join(root, 'migrations'), cacheDir });
    const file = readdirSync(cacheDir).find((name) => name.startsWith('evidence-'))!;
    const { evidence } = JSON.parse(readFileSync(path.join(cacheDir, file), 'utf8')) as { evidence: StoredEvidence };
    const ownItems = (id: string) => evidence.objects[id]!.filter((segment) => typeof segment !== 'number').reduce((sum, segment) => sum + (segment as unknown[]).length, 0);
    for (const table of tables) {
      // The 60 `row.type` reads are a shared run; only the table's own words are its own.
      expect(ownItems(`public.${table}.type`)).toBeLessThan(5);
      expect(evidence.objects[`public.${table}.type`]!.some((segment) => typeof segment === 'number')).toBe(true);
    }
    const mentionItems = evidence.runs.flat().filter(([file]) => evidence.files[file] === 'src/read.ts').length;
    expect(mentionItems).toBe(60);
  });
});
