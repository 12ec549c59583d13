import { otherDialectOf } from './dialect.js';
import { hasFormatterParams, splitBindings, splitFormatterParams } from './bindings.js';
import type { ParseResult } from 'libpg-query';
import { statement } from './extract.js';
import type { ExtractContext } from './expressions.js';
import { fallbackRefs } from './fallback.js';
import { fragmentWrappers, type FragmentContext } from './fragments.js';
import { byteOffsetMapper, parseSql } from './parser.js';
import { analyzePlpgsqlBody } from './plpgsql.js';
import { Scope } from './scope.js';
import { OffsetMap, shapeAttempts, sqlTemplateFromText, type ShapedSql } from './shape.js';
import type { SchemaLookup, SqlAnalysis, SqlRef, SqlTemplate } from './types.js';

/** Shapings tried per template before giving up on the statement as written. */
const maxAttempts = 5;

/** `context` names the relations a fragment belongs to, when a library call says so. */
export function analyzeSql(template: SqlTemplate, lookup: SchemaLookup, context?: FragmentContext): SqlAnalysis {
  const written = hasFormatterParams(template) ? splitFormatterParams(template) : template;
  const analysis = analyzeAttempts(shapeAttempts(written), lookup, '', context);
  if (analysis.outcome !== 'fallback' || !written.chunks.some((chunk) => chunk.text.includes('?'))) return analysis;
  // `?` placeholders (knex, mysql-style drivers) in text a project's own wrapper passes on
  // (`this.q('SELECT pg_advisory_xact_lock(?::bigint)', [id])`): Postgres reads `?` as an
  // operator, so only once the statement fails as written are they tried as bound values.
  // Only value placeholders: `??` or `:name:` would name identifiers, which a guess must not invent.
  const split = splitBindings(written);
  if (split.holes.length - written.holes.length !== countValueHoles(split) - countValueHoles(written)) return analysis;
  const bound = analyzeAttempts(shapeAttempts(split), lookup, '', context);
  // Value placeholders never make a statement dynamic: that stays as the holes written say.
  return bound.outcome === 'parsed' || bound.outcome === 'fragment' ? { ...bound, dynamic: analysis.dynamic } : analysis;
}

const countValueHoles = (template: SqlTemplate): number => template.holes.filter((hole) => hole.kind === 'value').length;

/**
 * Parses the first shaping the grammar accepts, as written or wrapped as a fragment; failing
 * all, falls back to identifier tokens of the first shaping. `prefix` (not part of the source)
 * is put before the text for the statement parse, e.g. `SELECT ` before a PL/pgSQL expression.
 */
function analyzeAttempts(attempts: Iterable<ShapedSql>, lookup: SchemaLookup, prefix = '', context?: FragmentContext): SqlAnalysis {
  const tried: ShapedSql[] = [];
  let firstError: string | undefined;
  for (const shaped of attempts) {
    tried.push(shaped);
    const text = prefix + shaped.text;
    const parsed = parseSql(text);
    if (parsed.ok) {
      return { outcome: 'parsed', refs: extractRefs(parsed.ast, text, prefix.length, shaped.map, lookup), dynamic: shaped.dynamic };
    }
    firstError ??= parsed.message;
    // A fragment never parses on its own: wrap it now rather than after trying every shaping.
    const wrappers = prefix.length === 0 ? fragmentWrappers(shaped.text, context) : [];
    for (const wrapper of wrappers) {
      const wrappedText = wrapper.prefix + shaped.text + wrapper.suffix;
      const wrapped = parseSql(wrappedText);
      if (wrapped.ok) {
        const refs = extractRefs(wrapped.ast, wrappedText, wrapper.prefix.length, shaped.map, lookup);
        return { outcome: 'fragment', refs, dynamic: shaped.dynamic };
      }
    }
    if (tried.length >= maxAttempts) break;
  }
  const best = tried[0];
  if (!best) return { outcome: 'parsed', refs: [], dynamic: false };
  const dialect = otherDialectOf(best.text);
  if (dialect !== undefined) return { outcome: 'other-dialect', refs: [], dialect, dynamic: false };
  return { outcome: 'fallback', refs: fallbackRefs(best, lookup), error: firstError, dynamic: best.dynamic };
}

export function analyzeFunctionBody(language: string, body: string, lookup: SchemaLookup): SqlAnalysis {
  const normalized = language.toLowerCase();
  if (normalized === 'sql') return analyzeSql(sqlTemplateFromText(body), lookup);
  if (normalized === 'plpgsql') {
    const analysis = analyzePlpgsqlBody(body, lookup, analyzeEmbedded, analyzeSql);
    return { ...analysis, refs: dedupe(analysis.refs) };
  }
  const shaped: ShapedSql = { text: body, map: OffsetMap.identity(body.length), dynamic: false };
  return { outcome: 'fallback', refs: fallbackRefs(shaped, lookup), error: `function language ${language} is not analysed`, dynamic: false };
}

function analyzeEmbedded(text: string, map: OffsetMap, lookup: SchemaLookup, prefix = ''): SqlAnalysis {
  return analyzeAttempts([{ text, map, dynamic: false }], lookup, prefix);
}

function extractRefs(ast: ParseResult, text: string, prefixLength: number, map: OffsetMap, lookup: SchemaLookup): SqlRef[] {
  const toIndex = byteOffsetMapper(text);
  const shapedLength = Math.max(0, text.length - prefixLength);
  let lastPosition = map.toSource(0);
  const positionOfIndex = (index: number): number => {
    const shaped = Math.min(Math.max(index - prefixLength, 0), Math.max(shapedLength - 1, 0));
    return map.toSource(shaped);
  };
  const ctx: ExtractContext = {
    lookup,
    refs: [],
    text,
    position(location) {
      if (location === undefined || location < 0) return lastPosition;
      lastPosition = positionOfIndex(toIndex(location));
      return lastPosition;
    },
    positionOfIndex,
    indexOf(location) {
      return location === undefined || location < 0 ? 0 : toIndex(location);
    },
    positionOfWord(word, after) {
      const from = after === undefined || after < 0 ? 0 : toIndex(after);
      const found = findWord(text, word, from);
      return found === -1 ? this.position(after) : positionOfIndex(found);
    },
    subquery(node, scope) {
      return statement(ctx, node, scope);
    },
    analyzeBody(language, body) {
      return analyzeFunctionBody(language, body, lookup).refs;
    },
  };
  for (const raw of ast.stmts ?? []) statement(ctx, raw.stmt, new Scope());
  return dedupe(ctx.refs);
}

function findWord(text: string, word: string, from: number): number {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`"${escaped.replace(/"/g, '""')}"|(?<![\\w$])${escaped}(?![\\w$])`, 'gi');
  pattern.lastIndex = from;
  const match = pattern.exec(text);
  return match ? match.index : -1;
}

function dedupe(refs: SqlRef[]): SqlRef[] {
  const seen = new Set<string>();
  return refs.filter((ref) => {
    const key = JSON.stringify(ref);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
