import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captured } from '../support/cli-io.js';

const repo = path.resolve(__dirname, '../..');

describe('paths in code-scanning formats', () => {
  it('are relative to the directory the CLI runs in, so GitHub can place them in the checkout', async () => {
    const { io, out } = captured(repo);
    await main(['audit', 'fixtures/audit/incident', '--migrations', 'fixtures/audit/incident/migrations', '--format', 'github', '--quiet'], io);
    const files = [...out().matchAll(/^::\w+ file=([^,]+),line=/gm)].map((m) => m[1]);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^fixtures\/audit\/incident\/migrations\//);

    const sarif = captured(repo);
    await main(['audit', 'fixtures/audit/incident', '--migrations', 'fixtures/audit/incident/migrations', '--format', 'sarif', '--quiet'], sarif.io);
    const log = JSON.parse(sarif.out()) as { runs: { results: { locations?: { physicalLocation?: { artifactLocation: { uri: string } } }[] }[] }[] };
    const uris = log.runs[0]!.results.flatMap((r) => (r.locations ?? []).map((l) => l.physicalLocation?.artifactLocation.uri));
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) expect(uri).toMatch(/^fixtures\/audit\/incident\/migrations\//);
  });
});
