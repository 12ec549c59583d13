import { z } from 'zod';
import { closest } from '../text/closest.js';
import { ConfigError } from '../errors.js';

/**
 * Zod issues as one ConfigError: the first problem is the message (`file: ignore[1].reason:
 * required`); when there are several, the reason lists every one on a line of its own, each
 * starting with its path, so one run shows all there is to fix.
 */
export function configIssuesError(where: string, file: string, issues: readonly z.core.$ZodIssue[], input: unknown, schema: z.ZodType): ConfigError {
  // A mistyped key often explains the errors after it ("migration" leaves no source), so it goes first.
  const ordered = [...issues].sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'));
  const lines = ordered.flatMap((issue) => describeIssue(issue, input, schema));
  const [first = 'invalid config', ...rest] = lines;
  return new ConfigError(`${where}: ${first}`, {
    path: file,
    ...(rest.length > 0 ? { reason: [`${lines.length} problems:`, ...lines.map((line) => `  ${line}`)].join('\n') } : {}),
    hint: 'the settings are listed in schema.json of the dead-schema package and in its README',
  });
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType): string[] {
  const at = formatPath(issue.path);
  const prefix = at === '' ? '' : `${at}: `;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeys(schema, issue.path);
      return issue.keys.map((key) => {
        const near = closest(key, known);
        const suggestion = near !== undefined ? ` (did you mean "${near}"?)` : known.length > 0 ? ` (known keys: ${known.join(', ')})` : '';
        // The key's own path, like every other problem's.
        return `${formatPath([...issue.path, key])}: unknown key${suggestion}`;
      });
    }
    case 'invalid_type': {
      const value = valueAt(input, issue.path);
      if (value === undefined) return [`${prefix}Required`];
      return [`${prefix}expected ${issue.expected}, got ${describeValue(value)}`];
    }
    case 'invalid_value':
      return [`${prefix}must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(valueAt(input, issue.path))}`];
    case 'too_small':
      if (issue.origin === 'string') return [`${prefix}must not be empty`];
      if (issue.origin === 'array') return [`${prefix}must not be an empty list`];
      return [`${prefix}${issue.message}`];
    default:
      return [`${prefix}${issue.message}`];
  }
}

/** `ignore[1].reason`, `sqlTags[0]`; '' for the top level. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

function valueAt(input: unknown, segments: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/** The keys the object schema at `segments` accepts. */
function knownKeys(schema: z.ZodType, segments: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of segments) {
    current = unwrapOptional(current);
    if (current instanceof z.ZodArray && typeof segment === 'number') current = current.element as z.ZodType;
    else if (current instanceof z.ZodObject && typeof segment === 'string') current = current.shape[segment] as z.ZodType | undefined;
    else return [];
  }
  current = unwrapOptional(current);
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrapOptional(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
  return current;
}

