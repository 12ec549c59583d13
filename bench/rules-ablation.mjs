// What the library rules are worth: every fixture under fixtures/rules audited with and without
// them. With rules the findings must equal expected.json; without, the false dead verdicts and the
// missed dead ones are what a rule-less audit (or grep) would have said. Run: node bench/rules-ablation.mjs
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { audit } from '../dist/src/index.js';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
const base = fileURLToPath(new URL('../fixtures/rules', import.meta.url));
const cases = [];
// A case is a folder with expected.json; scoped packages nest one level deeper (`@supabase/supabase-js/<case>`).
const collect = (dir) => {
  if (existsSync(path.join(dir, 'expected.json'))) cases.push(dir);
  else for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) collect(path.join(dir, entry.name));
};
collect(base);
const totals = { expectedDead: 0, withWrong: 0, withoutFalseDead: 0, withoutMissed: 0 };
for (const dir of cases.sort()) {
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8'));
  const mig = path.join(dir, expected.options?.migrations ?? 'migrations');
  const key = (f) => `${f.id}|${f.verdict}|${f.confidence}`;
  const want = new Set(expected.findings.map(key));
  const run = async (rules) => (await audit({ root: dir, migrations: mig, cacheDir: path.join(tmpdir(), 'dead-schema-ablation-cache'), ...(rules ? { rules } : {}) })).findings.map(key);
  const withRules = await run();
  const without = await run([]);
  const wrongWith = withRules.filter((k) => !want.has(k)).length + [...want].filter((k) => !withRules.includes(k)).length;
  const deadIds = new Set(expected.findings.map((f) => f.id));
  const falseDead = without.filter((k) => !deadIds.has(k.split('|')[0])).length;
  const missed = [...deadIds].filter((id) => !without.some((k) => k.startsWith(id + '|'))).length;
  totals.expectedDead += want.size; totals.withWrong += wrongWith; totals.withoutFalseDead += falseDead; totals.withoutMissed += missed;
  console.log(path.relative(base, dir).padEnd(36), `expected dead ${want.size}`, `| with rules: ${wrongWith} differences`, `| without rules: ${falseDead} false dead, ${missed} dead missed`);
}
console.log(JSON.stringify(totals));
