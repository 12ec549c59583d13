import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import type { AnalysisEvent } from '../catalog.js';

/**
 * Project files (code, migrations, dumps) are decoded here and nowhere else. Reading a Latin-1
 * file as UTF-8 turns `Größe` into replacement characters without a word; worse, a UTF-16 file
 * reads as NUL-separated letters, so every name in it vanishes and a used column looks dead.
 */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

// ignoreBOM keeps a UTF-8 byte-order mark in the text, as Buffer#toString does, so offsets
// (and the line:column of every piece of evidence) stay what they were before this module.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF16LE = new TextDecoder('utf-16le');

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: UTF16LE.decode(bytes), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: UTF16LE.decode(swapPairs(bytes.subarray(2))), encoding: 'utf-16be' };
  // NUL bytes are valid UTF-8, so a UTF-16 file without a byte-order mark would pass the check.
  const wide = unmarkedUtf16(bytes);
  if (wide === 'utf-16le') return { text: UTF16LE.decode(bytes), encoding: wide };
  if (wide === 'utf-16be') return { text: UTF16LE.decode(swapPairs(bytes)), encoding: wide };
  try {
    return { text: UTF8.decode(bytes), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: in practice a legacy Western editor's windows-1252, of which Latin-1 is a subset
    // (every byte decodes, identifiers are ASCII either way).
    return { text: windows1252(bytes), encoding: 'windows-1252' };
  }
}

export async function readDecoded(file: string): Promise<DecodedText> {
  return decodeText(await readFile(file));
}

export function readDecodedSync(file: string): DecodedText {
  return decodeText(readFileSync(file));
}

/** The file's text, however it is encoded; for callers that report no events (schema files). */
export async function readText(file: string): Promise<string> {
  return (await readDecoded(file)).text;
}

/** The `file-not-utf8` event for a file that needed another decoding, or undefined for UTF-8. */
export function encodingEvent(file: string, decoded: DecodedText): AnalysisEvent | undefined {
  if (decoded.encoding === 'utf-8') return undefined;
  const why = decoded.encoding === 'windows-1252' ? 'not valid UTF-8' : 'UTF-16 text';
  return { kind: 'file-not-utf8', file, message: `${why}; decoded as ${decoded.encoding}` };
}

/**
 * windows-1252's 0x80-0x9f (curly quotes, €, dashes); every other byte is its own code point.
 * A table rather than TextDecoder('windows-1252'), which Node decodes as plain Latin-1.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function windows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!));
}

function swapPairs(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length - (bytes.length % 2));
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  return swapped;
}

/**
 * ASCII-heavy UTF-16 without a BOM: most high (LE) or low (BE) bytes of the first pairs are NUL
 * and the others almost never are. Source code has no NULs, so real UTF-8 never looks like this.
 */
function unmarkedUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.min(bytes.length, 4096) >> 1;
  if (pairs < 2) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  if (oddNul > pairs * 0.6 && evenNul < pairs * 0.05) return 'utf-16le';
  if (evenNul > pairs * 0.6 && oddNul < pairs * 0.05) return 'utf-16be';
  return undefined;
}
