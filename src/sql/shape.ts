import { classifyHole, type HoleSite } from './hole-context.js';
import { IncrementalLexer } from './lex.js';
import type { SqlHole, SqlTemplate } from './types.js';

/** Prefix of every identifier the shaper invents; the extractor never reports names carrying it. */
const placeholderPrefix = '__ds_hole';

export function isPlaceholderName(name: string): boolean {
  return name.toLowerCase().includes(placeholderPrefix);
}

interface Segment {
  textStart: number;
  textEnd: number;
  sourceStart: number;
  /** Text the shaper produced for a hole: every offset inside maps to the hole's start. */
  synthetic: boolean;
}

/** Maps offsets in shaped SQL text back to absolute source positions. */
export class OffsetMap {
  constructor(private readonly segments: readonly Segment[]) {}

  static identity(length: number, sourceStart = 0): OffsetMap {
    return new OffsetMap([{ textStart: 0, textEnd: length, sourceStart, synthetic: false }]);
  }

  /** From matching points (text offset, source offset), ascending; text between points runs on from the last one. */
  static fromPoints(points: Array<[number, number]>): OffsetMap {
    return new OffsetMap(
      points.map(([textStart, sourceStart], index) => ({
        textStart,
        textEnd: points[index + 1]?.[0] ?? Number.MAX_SAFE_INTEGER,
        sourceStart,
        synthetic: false,
      })),
    );
  }

  toSource(offset: number): number {
    const segments = this.segments;
    if (segments.length === 0) return 0;
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((segments[mid] as Segment).textStart <= offset) low = mid;
      else high = mid - 1;
    }
    const segment = segments[low] as Segment;
    if (segment.synthetic) return segment.sourceStart;
    return segment.sourceStart + Math.max(0, offset - segment.textStart);
  }
}

export interface ShapedSql {
  text: string;
  map: OffsetMap;
  /** Some relation or column position was filled by a hole we cannot see. */
  dynamic: boolean;
}

/**
 * How to pick hole text when the grammar rejects the first choice:
 * `context` uses the best guess per hole, `alternate` each hole's second guess,
 * `params` every unseen hole as a bound parameter, `drop` unknown holes as nothing,
 * `truth` unknown holes as a `TRUE` condition.
 */
export type ShapeStrategy = 'context' | 'alternate' | 'params' | 'drop' | 'truth';

const shapeStrategies: readonly ShapeStrategy[] = ['context', 'alternate', 'params', 'drop', 'truth'];

interface Choice {
  text: string;
  dynamic: boolean;
  /** Padded with spaces so it cannot fuse with neighbouring tokens. */
  pad: boolean;
}

class Shaper {
  text = '';
  readonly segments: Segment[] = [];
  dynamic = false;
  private param = 0;
  private placeholder = 0;
  private readonly lexer = new IncrementalLexer();

  constructor(
    private readonly strategy: ShapeStrategy,
    private readonly interpolated: boolean,
  ) {}

  template(template: SqlTemplate): void {
    template.chunks.forEach((chunk, index) => {
      this.append(chunk.text, chunk.start, false);
      const hole = template.holes[index];
      if (hole) this.hole(hole, followingText(template, index));
    });
  }

  private append(text: string, sourceStart: number, synthetic: boolean): void {
    if (text.length === 0) return;
    this.segments.push({ textStart: this.text.length, textEnd: this.text.length + text.length, sourceStart, synthetic });
    this.text += text;
  }

  private hole(hole: SqlHole, following: string): void {
    if (hole.kind === 'fragment') {
      this.append(' ', hole.start, true);
      this.template(hole.template);
      this.append(' ', hole.start, true);
      return;
    }
    const site = classifyHole(this.text, this.lexer.lex(this.text), following);
    const choice = this.choose(hole, site);
    if (choice.dynamic) this.dynamic = true;
    this.append(choice.pad ? ` ${choice.text} ` : choice.text, hole.start, true);
  }

  private nextParam(): string {
    this.param += 1;
    return `$${this.param}`;
  }

  private nextPlaceholder(): string {
    this.placeholder += 1;
    return `${placeholderPrefix}_${this.placeholder}`;
  }

  private choose(hole: Exclude<SqlHole, { kind: 'fragment' }>, site: HoleSite): Choice {
    const { context } = site;
    if (context === 'string') {
      return { text: hole.kind === 'identifier' ? hole.name.replace(/'/g, "''") : 'x', dynamic: false, pad: false };
    }
    if (context === 'comment') return { text: '', dynamic: false, pad: false };
    if (context === 'qident') {
      if (hole.kind === 'identifier') return { text: hole.name.replace(/"/g, '""'), dynamic: false, pad: false };
      return { text: this.nextPlaceholder(), dynamic: true, pad: false };
    }
    if (context === 'glued' || context === 'qualifier' || context === 'type') {
      if (hole.kind === 'identifier') {
        if (context === 'glued' && /^\w+$/.test(hole.name)) return { text: hole.name, dynamic: false, pad: false };
        if (context !== 'glued') return { text: quoteName(hole.name), dynamic: false, pad: false };
      }
      return { text: this.nextPlaceholder(), dynamic: true, pad: false };
    }
    if (hole.kind === 'identifier') return { text: quoteName(hole.name), dynamic: false, pad: true };
    if (hole.kind === 'columns') return this.columns(hole.columns, site);

    const unseen = hole.kind === 'unknown';
    if (unseen && this.strategy === 'drop') return { text: '', dynamic: true, pad: true };
    if (unseen && this.strategy === 'truth') return { text: 'TRUE', dynamic: true, pad: true };
    if (this.strategy === 'params' && context !== 'in' && context !== 'values') {
      return { text: this.nextParam(), dynamic: unseen, pad: true };
    }
    const options = unseen ? this.unknownOptions(site) : this.valueOptions(site);
    const picked = this.strategy === 'alternate' ? (options[1] ?? options[0]) : options[0];
    return picked ?? { text: this.nextParam(), dynamic: false, pad: true };
  }

  private valueOptions(site: HoleSite): Choice[] {
    switch (site.context) {
      case 'relation':
      case 'insert-cols':
      case 'column-name':
        return [{ text: this.nextPlaceholder(), dynamic: true, pad: true }];
      case 'in':
      case 'values':
        return [{ text: `(${this.nextParam()})`, dynamic: false, pad: true }];
      case 'order':
        return [{ text: '1', dynamic: false, pad: true }];
      case 'statement':
      case 'subquery':
        return [
          { text: 'SELECT 1', dynamic: true, pad: true },
          { text: this.nextParam(), dynamic: false, pad: true },
        ];
      default:
        return [{ text: this.nextParam(), dynamic: false, pad: true }];
    }
  }

  private unknownOptions(site: HoleSite): Choice[] {
    const dynamicText = (text: string): Choice => ({ text, dynamic: true, pad: true });
    switch (site.context) {
      case 'relation':
      case 'insert-cols':
      case 'column-name':
      case 'condition-operand':
        return [dynamicText(this.nextPlaceholder())];
      case 'condition':
        return [dynamicText('TRUE'), dynamicText(this.nextParam())];
      case 'in':
      case 'values':
        return [dynamicText(`(${this.nextParam()})`), dynamicText(this.nextPlaceholder())];
      case 'order':
        return [dynamicText('1'), dynamicText(this.nextPlaceholder())];
      case 'limit':
        return [{ text: this.nextParam(), dynamic: false, pad: true }, { text: 'ALL', dynamic: false, pad: true }];
      case 'select-list':
        return [dynamicText(this.nextPlaceholder()), dynamicText(this.nextParam())];
      case 'statement':
      case 'subquery':
        return [dynamicText('SELECT 1'), dynamicText('')];
      case 'insert-target':
        return site.next === 'VALUES' || site.next === 'SELECT'
          ? [dynamicText(`(${this.nextPlaceholder()})`), dynamicText('')]
          : [dynamicText('DEFAULT VALUES'), dynamicText('')];
      case 'set':
        return [dynamicText(`${placeholderPrefix} = ${this.nextParam()}`)];
      case 'clause-tail':
        return [dynamicText(''), dynamicText(this.nextParam())];
      default: {
        const param = { text: this.nextParam(), dynamic: false, pad: true };
        return this.interpolated ? [param, dynamicText(this.nextPlaceholder())] : [param];
      }
    }
  }

  /** postgres.js `sql(obj, 'a', 'b')`: what it expands to depends on the statement around it. */
  private columns(columns: string[] | undefined, site: HoleSite): Choice {
    const { context } = site;
    if (context === 'in' || context === 'values') return { text: `(${this.nextParam()})`, dynamic: false, pad: true };
    if (!columns || columns.length === 0) {
      if (context === 'insert-target') return { text: 'DEFAULT VALUES', dynamic: true, pad: true };
      if (context === 'set') return { text: `${placeholderPrefix} = ${this.nextParam()}`, dynamic: true, pad: true };
      return { text: this.nextPlaceholder(), dynamic: true, pad: true };
    }
    const names = columns.map(quoteName);
    if (context === 'insert-target') {
      const list = `(${names.join(', ')})`;
      if (site.next === 'VALUES' || site.next === 'SELECT' || site.next === '(') return { text: list, dynamic: false, pad: true };
      return { text: `${list} VALUES (${names.map(() => this.nextParam()).join(', ')})`, dynamic: false, pad: true };
    }
    if (context === 'set') {
      return { text: names.map((name) => `${name} = ${this.nextParam()}`).join(', '), dynamic: false, pad: true };
    }
    return { text: names.join(', '), dynamic: false, pad: true };
  }
}

/** Literal text after hole `index`, up to the next hole: enough to see the next token. */
function followingText(template: SqlTemplate, index: number): string {
  const next = template.chunks[index + 1];
  if (!next) return '';
  if (next.text.trim().length > 0 || index + 1 >= template.holes.length) return next.text;
  const nextHole = template.holes[index + 1];
  if (nextHole?.kind === 'fragment') return next.text + (nextHole.template.chunks[0]?.text ?? '');
  return next.text;
}

/** Double-quotes each dot-separated part, the way postgres.js escapes `sql('schema.table')`. */
function quoteName(name: string): string {
  return name
    .split('.')
    .map((part) => `"${part.replace(/"/g, '""')}"`)
    .join('.');
}

export function shapeTemplate(template: SqlTemplate, strategy: ShapeStrategy = 'context'): ShapedSql {
  const shaper = new Shaper(strategy, template.interpolated === true);
  shaper.template(template);
  return { text: shaper.text, map: new OffsetMap(shaper.segments), dynamic: shaper.dynamic };
}

/** Distinct shapings of a template, best guess first; templates without holes have exactly one. */
export function* shapeAttempts(template: SqlTemplate): Generator<ShapedSql> {
  const seen = new Set<string>();
  const strategies = hasShapedHoles(template) ? shapeStrategies : (['context'] as const);
  for (const strategy of strategies) {
    const shaped = shapeTemplate(template, strategy);
    if (seen.has(shaped.text)) continue;
    seen.add(shaped.text);
    yield shaped;
  }
}

function hasShapedHoles(template: SqlTemplate): boolean {
  return template.holes.some((hole) => hole.kind !== 'fragment' || hasShapedHoles(hole.template));
}

export function sqlTemplateFromText(text: string, start = 0): SqlTemplate {
  return { chunks: [{ text, start }], holes: [] };
}
