/**
 * A small SQL tokenizer for places where the real scanner cannot help: the text before a hole
 * is usually an unfinished statement, possibly ending inside a string or identifier.
 */

export type LexTokenType = 'word' | 'qident' | 'string' | 'number' | 'param' | 'op' | 'punct';

export interface LexToken {
  type: LexTokenType;
  text: string;
  /** Upper-cased text for words, the text itself otherwise. */
  upper: string;
  start: number;
  end: number;
}

/** Where the text ends: outside any quote, or inside an unterminated construct. */
export type LexState = 'normal' | 'string' | 'qident' | 'comment' | 'dollar';

export interface LexResult {
  tokens: LexToken[];
  state: LexState;
  /** Where lexing must restart if text is appended: the unterminated construct, or the last token (it may grow). */
  resumeAt: number;
}

const wordStart = /[A-Za-z_\u0080-\uffff]/;
const wordChar = /[A-Za-z0-9_$\u0080-\uffff]/;
const opChars = '+-*/<>=~!@#%^&|`?';

export function lexSql(text: string, from = 0): LexResult {
  const tokens: LexToken[] = [];
  const stop = (state: LexState, at: number): LexResult => ({ tokens, state, resumeAt: at });
  const push = (type: LexTokenType, start: number, end: number): void => {
    const value = text.slice(start, end);
    tokens.push({ type, text: value, upper: type === 'word' ? value.toUpperCase() : value, start, end });
  };
  let i = from;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    const next = text[i + 1];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      if (end === -1) return stop('comment', i);
      i = end + 1;
      continue;
    }
    if (c === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (text.startsWith('/*', j)) {
          depth++;
          j += 2;
        } else if (text.startsWith('*/', j)) {
          depth--;
          j += 2;
        } else j++;
      }
      if (depth > 0) return stop('comment', i);
      i = j;
      continue;
    }
    if (c === "'" || ((c === 'E' || c === 'e') && next === "'")) {
      const backslashes = c !== "'";
      const end = closingQuote(text, backslashes ? i + 2 : i + 1, "'", backslashes);
      if (end === undefined) return stop('string', i);
      push('string', i, end);
      i = end;
      continue;
    }
    if (c === '"') {
      const end = closingQuote(text, i + 1, '"', false);
      if (end === undefined) return stop('qident', i);
      push('qident', i, end);
      i = end;
      continue;
    }
    if (c === '$') {
      const param = /^\$\d+/.exec(text.slice(i, i + 12));
      if (param) {
        push('param', i, i + param[0].length);
        i += param[0].length;
        continue;
      }
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        if (close === -1) return stop('dollar', i);
        push('string', i, close + tag[0].length);
        i = close + tag[0].length;
        continue;
      }
    }
    if (/[0-9]/.test(c) || (c === '.' && next !== undefined && /[0-9]/.test(next))) {
      let j = i + 1;
      while (j < n && /[0-9._eE]/.test(text[j] as string)) j++;
      push('number', i, j);
      i = j;
      continue;
    }
    if (wordStart.test(c)) {
      let j = i + 1;
      while (j < n && wordChar.test(text[j] as string)) j++;
      push('word', i, j);
      i = j;
      continue;
    }
    if (c === ':' && next === ':') {
      push('op', i, i + 2);
      i += 2;
      continue;
    }
    if (opChars.includes(c)) {
      let j = i + 1;
      while (j < n && opChars.includes(text[j] as string)) j++;
      push('op', i, j);
      i = j;
      continue;
    }
    push('punct', i, i + 1);
    i++;
  }
  return stop('normal', resumePoint(tokens, n));
}

/**
 * The last token may grow when text is appended, so lexing resumes at its start; a lone `$` just
 * before it resumes there instead: `$a` + `$` is the dollar-quote opener `$a$`, not `$` and `a$`.
 */
function resumePoint(tokens: LexToken[], end: number): number {
  const last = tokens.at(-1);
  if (!last) return end;
  const before = tokens.at(-2);
  return before !== undefined && before.text === '$' && before.end === last.start && last.type === 'word' ? before.start : last.start;
}

/** Lexes a text that only ever grows at the end, re-reading only what the new text can change. */
export class IncrementalLexer {
  private tokens: LexToken[] = [];
  private resumeAt = 0;

  lex(text: string): LexResult {
    while (this.tokens.length > 0 && (this.tokens.at(-1) as LexToken).start >= this.resumeAt) this.tokens.pop();
    const result = lexSql(text, this.resumeAt);
    for (const token of result.tokens) this.tokens.push(token);
    this.resumeAt = result.resumeAt;
    return { tokens: this.tokens, state: result.state, resumeAt: result.resumeAt };
  }
}

/**
 * The index just past the quote that closes a literal or quoted identifier starting at `from`
 * (a doubled quote is an escaped one; E'' strings also escape with backslashes), or undefined
 * when the text ends first.
 */
function closingQuote(text: string, from: number, quote: string, backslashes: boolean): number | undefined {
  let j = from;
  while (j < text.length) {
    const ch = text[j];
    if (backslashes && ch === '\\') {
      j += 2;
      continue;
    }
    if (ch === quote) {
      if (text[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return undefined;
}
