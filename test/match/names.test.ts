import { describe, expect, it } from 'vitest';
import { collectCodeEvidence } from '../../src/match/collect.js';
import { nameEvidence } from '../../src/match/names.js';
import type { FileScan } from '../../src/scan/index.js';
import { lineStarts } from '../../src/text/lines.js';
import { createFakeLookup } from '../sql/fake-lookup.js';

const text = 'row.loyalty_tier;\ndto.shipping_notes;';
const scan: FileScan = {
  file: 'src/a.ts',
  isTest: false,
  sqlSites: [],
  mentions: [
    { name: 'loyalty_tier', kind: 'property', position: text.indexOf('loyalty_tier'), receiver: 'row' },
    { name: 'shipping_notes', kind: 'property', position: text.indexOf('shipping_notes'), receiver: 'dto' },
  ],
  libraryRefs: [],
  rules: [],
  lineStarts: lineStarts(text),
  events: [],
};
const code = collectCodeEvidence([scan], createFakeLookup({ relations: [{ name: 'customers', columns: ['id', 'loyalty_tier', 'shipping_notes'] }] }));
const kinds = (name: string, matching?: Parameters<typeof nameEvidence>[2]['matching']) =>
  nameEvidence(name, code, { sharedBy: 1, isRelation: false, ...(matching ? { matching } : {}) }).flat().map((e) => e.kind);

describe('configured name matching (config names)', () => {
  it('treats configured common names and receivers like the built-in ones', () => {
    expect(kinds('loyalty_tier')).toEqual(['name-match']);
    expect(kinds('loyalty_tier', { commonNames: ['loyalty_tier'] })).toEqual(['common-name']);
    expect(kinds('shipping_notes')).toEqual(['name-match']);
    expect(kinds('shipping_notes', { unrelatedReceivers: ['dto'] })).toEqual(['common-name']);
  });
});
