/**
 * A small reader for schema.prisma: enough of the grammar to know which fields are columns,
 * what they are called in the database and how relations join. It does not validate.
 */

export interface PrismaField {
  name: string;
  /** Offset of the field name in the file. */
  position: number;
  type: string;
  isList: boolean;
  /** `@map("db_col")`, else the field name (Prisma never converts case). */
  column: string;
  attributes: string;
  relation?: { name?: string; fields: string[]; references: string[] };
}

export interface PrismaModel {
  kind: 'model' | 'view';
  name: string;
  position: number;
  /** `@@map("table")`, else the model name. */
  table: string;
  schema?: string;
  fields: PrismaField[];
}

export interface PrismaSchema {
  models: Map<string, PrismaModel>;
  enums: Set<string>;
}

const SCALAR_TYPES = new Set(['String', 'Boolean', 'Int', 'BigInt', 'Float', 'Decimal', 'DateTime', 'Json', 'Bytes']);

/** Comments go, keeping offsets: `//` inside a string literal is not a comment. */
function stripComments(text: string): string {
  return text.replace(/"(?:[^"\\\n]|\\.)*"|\/\/[^\n]*/g, (match) => (match.startsWith('"') ? match : ' '.repeat(match.length)));
}

/** The string argument of an attribute: `@map("x")`, `@map(name: "x")`, `@@schema("auth")`. */
function attributeString(attributes: string, attribute: string): string | undefined {
  const match = new RegExp(`(?:^|[^@\\w])${attribute}\\(\\s*(?:name\\s*:\\s*)?"([^"]*)"`).exec(attributes);
  return match?.[1];
}

function listArgument(args: string, key: string): string[] {
  const match = new RegExp(`\\b${key}\\s*:\\s*\\[([^\\]]*)\\]`).exec(args);
  if (match?.[1] === undefined) return [];
  return match[1]
    .split(',')
    .map((part) => part.trim().replace(/\(.*$/, ''))
    .filter((part) => part.length > 0);
}

/** `@relation("Name", fields: [a], references: [id])` or `@relation(name: "Name", ...)`. */
function parseRelation(attributes: string): PrismaField['relation'] {
  const start = attributes.indexOf('@relation');
  if (start < 0) return undefined;
  const open = attributes.indexOf('(', start);
  let args = '';
  if (open >= 0 && /^@relation\s*$/.test(attributes.slice(start, open))) {
    let depth = 0;
    for (let i = open; i < attributes.length; i++) {
      const ch = attributes[i];
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) {
        args = attributes.slice(open + 1, i);
        break;
      }
    }
  }
  const name = /^\s*"([^"]*)"/.exec(args)?.[1] ?? /\bname\s*:\s*"([^"]*)"/.exec(args)?.[1];
  return { ...(name !== undefined ? { name } : {}), fields: listArgument(args, 'fields'), references: listArgument(args, 'references') };
}

export function parsePrismaSchema(source: string): PrismaSchema {
  const text = stripComments(source);
  const models = new Map<string, PrismaModel>();
  const enums = new Set<string>();
  const block = /^[ \t]*(model|view|enum|type)[ \t]+(\w+)[ \t]*\{/gm;
  for (let match = block.exec(text); match !== null; match = block.exec(text)) {
    const [, keyword, name] = match as unknown as [string, string, string];
    const bodyStart = match.index + match[0].length;
    const bodyEnd = closingBrace(text, bodyStart);
    block.lastIndex = bodyEnd;
    if (keyword === 'enum') {
      enums.add(name);
      continue;
    }
    if (keyword === 'type') continue;
    const position = match.index + match[0].indexOf(name, keyword.length);
    const model: PrismaModel = { kind: keyword as 'model' | 'view', name, position, table: name, fields: [] };
    let lineStart = bodyStart;
    for (const line of text.slice(bodyStart, bodyEnd).split('\n')) {
      const offset = lineStart;
      lineStart += line.length + 1;
      const trimmed = line.trim();
      if (trimmed.startsWith('@@')) {
        const table = attributeString(trimmed, '@@map');
        if (table !== undefined) model.table = table;
        const schema = attributeString(trimmed, '@@schema');
        if (schema !== undefined) model.schema = schema;
        continue;
      }
      const field = /^([ \t]*)(\w+)[ \t]+(Unsupported\("[^"]*"\)|\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (field === null) continue;
      const [, indent, fieldName, type, list, , attributes] = field as unknown as [string, string, string, string, string | undefined, string | undefined, string];
      const relation = attributes.includes('@relation') ? parseRelation(attributes) : undefined;
      model.fields.push({
        name: fieldName,
        position: offset + indent.length,
        type,
        isList: list !== undefined,
        column: attributeString(attributes, '@map') ?? fieldName,
        attributes,
        ...(relation !== undefined ? { relation } : {}),
      });
    }
    models.set(name, model);
  }
  return { models, enums };
}

function closingBrace(text: string, from: number): number {
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' && text[i - 1] !== '\\') inString = !inString;
    else if (!inString && ch === '}') return i;
  }
  return text.length;
}

/**
 * A relation field points at another model, or says `@relation`. A type this file does not
 * declare (a multi-file schema) is a column only when it is neither a list nor `@relation`:
 * the core ignores a column name the table does not have.
 */
export function isRelationField(field: PrismaField, schema: PrismaSchema): boolean {
  if (field.relation !== undefined) return true;
  if (SCALAR_TYPES.has(field.type) || field.type.startsWith('Unsupported(') || schema.enums.has(field.type)) return false;
  if (schema.models.has(field.type)) return true;
  return field.isList;
}

/** The field on the other side of a relation (same relation name, pointing back). */
export function oppositeField(model: PrismaModel, field: PrismaField, schema: PrismaSchema): PrismaField | undefined {
  const target = schema.models.get(field.type);
  if (target === undefined) return undefined;
  const name = field.relation?.name;
  return target.fields.find(
    (other) => other !== field && other.type === model.name && isRelationField(other, schema) && other.relation?.name === name,
  );
}

export function columnOfField(model: PrismaModel, fieldName: string): string | undefined {
  return model.fields.find((field) => field.name === fieldName)?.column;
}
