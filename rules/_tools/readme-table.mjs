#!/usr/bin/env node
// Rewrites the supported-libraries table in README.md from the built rules' metadata
// (run through `npm run rules:readme`, which builds first).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { rules } = await import(path.join(repoDir, 'dist/rules/index.js'));
const { withRulesTable } = await import(path.join(repoDir, 'dist/src/rules/readme.js'));
const readmeFile = path.join(repoDir, 'README.md');
writeFileSync(readmeFile, withRulesTable(readFileSync(readmeFile, 'utf8'), rules));
console.log(`README.md: ${rules.length} libraries`);
