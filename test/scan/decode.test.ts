import { describe, expect, it } from 'vitest';
import { decodeText, encodingEvent } from '../../src/text/decode.js';

const SOURCE = 'const größe = row["größe"]; // Maße €\n';

function utf16le(text: string, bom: boolean): Uint8Array {
  return Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(text, 'utf16le')]);
}

function utf16be(text: string, bom: boolean): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  return Buffer.concat([bom ? Buffer.from([0xfe, 0xff]) : Buffer.alloc(0), Buffer.from(le.swap16())]);
}

describe('decodeText', () => {
  it('reads UTF-8 as before, keeping a byte-order mark so offsets do not move', () => {
    expect(decodeText(Buffer.from(SOURCE, 'utf8'))).toEqual({ text: SOURCE, encoding: 'utf-8' });
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('select 1', 'utf8')]);
    expect(decodeText(withBom).text).toBe(Buffer.from(withBom).toString('utf8'));
    expect(encodingEvent('a.ts', decodeText(Buffer.from(SOURCE, 'utf8')))).toBeUndefined();
  });

  it('decodes Latin-1 / windows-1252 bytes instead of replacing them', () => {
    const latin1 = Buffer.from('const größe = row["größe"]; // Maße\n', 'latin1');
    const euro = Buffer.from([0x80]); // € in windows-1252, a C1 control in Latin-1
    const decoded = decodeText(Buffer.concat([latin1, euro]));
    expect(decoded).toEqual({ text: 'const größe = row["größe"]; // Maße\n€', encoding: 'windows-1252' });
    expect(decoded.text).not.toContain('\ufffd');
    expect(encodingEvent('src/a.ts', decoded)).toEqual({ kind: 'file-not-utf8', file: 'src/a.ts', message: 'not valid UTF-8; decoded as windows-1252' });
  });

  it('decodes UTF-16 with a byte-order mark, and ASCII-heavy UTF-16 without one', () => {
    expect(decodeText(utf16le(SOURCE, true))).toEqual({ text: SOURCE, encoding: 'utf-16le' });
    expect(decodeText(utf16be(SOURCE, true))).toEqual({ text: SOURCE, encoding: 'utf-16be' });
    expect(decodeText(utf16le(SOURCE, false))).toEqual({ text: SOURCE, encoding: 'utf-16le' });
    expect(decodeText(utf16be(SOURCE, false))).toEqual({ text: SOURCE, encoding: 'utf-16be' });
    expect(encodingEvent('b.ts', decodeText(utf16le(SOURCE, true)))?.message).toBe('UTF-16 text; decoded as utf-16le');
  });

  it('handles empty and one-byte files', () => {
    expect(decodeText(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8' });
    expect(decodeText(Buffer.from([0xe9]))).toEqual({ text: 'é', encoding: 'windows-1252' });
  });
});
