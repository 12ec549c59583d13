#!/usr/bin/env node
// Scaffolds a library rule: rules/<package>/ from rules/_template/, a clean and a dead-columns
// fixture under fixtures/rules/<package>/, then regenerates rules/index.ts.
// Usage: npm run rules:new -- <npm-package> [enabler...]
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const rulesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = path.dirname(rulesDir);
const [pkg, ...extraEnablers] = process.argv.slice(2);
if (!pkg || !/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/.test(pkg)) {
  console.error('usage: npm run rules:new -- <npm-package> [enabler...]   (e.g. npm run rules:new -- mikro-orm @mikro-orm/core)');
  process.exit(2);
}
const folder = pkg.replace(/^@/, '').replace(/\//g, '-');
const target = path.join(rulesDir, folder);
if (existsSync(target)) {
  console.error(`rules/${folder} already exists`);
  process.exit(2);
}
const replacements = { __PACKAGE__: pkg, __ENABLERS__: [pkg, ...extraEnablers].map((name) => `'${name}'`).join(', ') };

function copyTemplate(from, to) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = path.join(from, name);
    const dest = path.join(to, name);
    if (statSync(source).isDirectory()) copyTemplate(source, dest);
    else {
      let text = readFileSync(source, 'utf8');
      for (const [token, value] of Object.entries(replacements)) text = text.split(token).join(value);
      writeFileSync(dest, text);
    }
  }
}

copyTemplate(path.join(rulesDir, '_template', 'rule'), target);
copyTemplate(path.join(rulesDir, '_template', 'fixtures'), path.join(repoDir, 'fixtures', 'rules', folder));
execFileSync(process.execPath, [path.join(rulesDir, '_tools', 'generate-index.mjs')], { stdio: 'inherit' });
console.log(`Created rules/${folder}/ and fixtures/rules/${folder}/{all-used,dead-columns}/.
Next: write the visitors in rules/${folder}/index.ts, fill in both fixtures' src/ and expected.json,
then run: npx vitest run test/fixtures.test.ts -t rules/${folder}`);

