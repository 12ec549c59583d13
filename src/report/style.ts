import * as util from 'node:util';
import type { Confidence } from '../match/types.js';

export type Style = Parameters<typeof util.styleText>[0];
export type Paint = (style: Style, text: string) => string;

/** The colours of the confidence levels, surest loudest. */
export const CONFIDENCE_STYLE: Readonly<Record<Confidence, Style>> = { high: 'red', medium: 'yellow', low: 'dim' };

/** Node 20.0–20.11 lack styleText: their users get plain text. */
export function painter(color: boolean): Paint {
  const styleText = (util as { styleText?: typeof util.styleText }).styleText;
  if (!color || styleText === undefined) return (_style, text) => text;
  // validateStream off: the CLI already decided (NO_COLOR, FORCE_COLOR, TTY), for whatever stream gets the text.
  return (style, text) => (text === '' ? text : styleText(style, text, { validateStream: false }));
}
