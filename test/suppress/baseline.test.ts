import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import type { Finding } from '../../src/match/types.js';
import { buildBaseline, formatBaseline, parseBaseline } from '../../src/suppress/baseline.js';

const finding = (id: string, extra: Partial<Finding> = {}): Finding => ({
  kind: 'column',
  id,
  verdict: 'unreferenced',
  confidence: 'high',
  reasons: ['no-mentions'],
  evidence: [{ file: 'src/a.ts', line: 3, column: 1, kind: 'comment', role: 'mention' }],
  evidenceCount: 1,
  definedAt: { file: 'migrations/001.sql', line: 7 },
  ...extra,
});

describe('baseline file', () => {
  const findings = [
    finding('public.users.zip'),
    finding('public.audit', { kind: 'table', verdict: 'write-only', confidence: 'medium', reasons: ['only-tests'] }),
    finding('public.users.email', { verdict: 'alive', confidence: null, reasons: [] }),
  ];

  it('keys dead findings by id, sorted, without lines, evidence or counts', async () => {
    const baseline = buildBaseline(findings, undefined, new Date('2025-03-04T23:59:00Z'));
    await expect(formatBaseline(baseline)).toMatchFileSnapshot('__snapshots__/baseline.json');
  });

  it('keeps the since date of ids already baselined', () => {
    const first = buildBaseline([finding('public.users.zip')], undefined, new Date('2024-01-02T00:00:00Z'));
    const second = buildBaseline(findings, first, new Date('2025-03-04T00:00:00Z'));
    expect(second.findings['public.users.zip']?.since).toBe('2024-01-02');
    expect(second.findings['public.audit']?.since).toBe('2025-03-04');
  });

  it('round-trips through its text', () => {
    const baseline = buildBaseline(findings, undefined, new Date('2025-03-04T00:00:00Z'));
    expect(parseBaseline(formatBaseline(baseline), 'b.json')).toEqual(baseline);
  });

  it('rejects a malformed file with a ConfigError naming the file and the place', () => {
    const parse = (text: string): unknown => parseBaseline(text, 'ci/dead-schema.baseline.json');
    expect(() => parse('{ "version": 1, ')).toThrow(ConfigError);
    expect(() => parse('{ "version": 1, ')).toThrow(/baseline ci\/dead-schema.baseline.json is not valid JSON/);
    expect(() => parse('{ "version": 2, "findings": {} }')).toThrow(/is malformed/);
    try {
      parse('{ "version": 1, "findings": { "public.t": { "kind": "table", "verdict": "dead", "confidence": "high", "reasons": [], "since": "2024-01-01" } } }');
      expect.fail('should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).details.path).toBe('ci/dead-schema.baseline.json');
      expect((error as ConfigError).details.reason).toMatch(/^findings\.public\.t\.verdict: /);
    }
  });
});
