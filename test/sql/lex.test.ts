import { describe, expect, it } from 'vitest';
import { IncrementalLexer, lexSql } from '../../src/sql/lex.js';

describe('incremental lexing', () => {
  it('sees a dollar-quote opener completed by appended text, as one pass does', () => {
    const lexer = new IncrementalLexer();
    lexer.lex('SELECT $body');
    const grown = lexer.lex('SELECT $body$ x');
    expect(lexSql('SELECT $body$ x').state).toBe('dollar');
    expect(grown.state).toBe('dollar');
    expect(grown.tokens.map((token) => token.text)).toEqual(['SELECT']);
  });

  it('keeps a `$` before a finished word as punctuation', () => {
    const lexer = new IncrementalLexer();
    lexer.lex('SELECT $a b');
    expect(lexer.lex('SELECT $a b$').tokens.map((token) => token.text)).toEqual(lexSql('SELECT $a b$').tokens.map((token) => token.text));
  });
});
