/** What a session starts with when no ALTER ROLE / ALTER DATABASE setting names one. */
const SERVER_DEFAULT = '"$user", public';

/**
 * The schemas unqualified names resolve to in the application's sessions, from the
 * `search_path=…` entries of pg_db_role_setting (most specific first) for `role`: the first
 * entry wins, `$user` is the role, and schemas that do not exist are skipped as Postgres does.
 * pg_catalog and pg_temp are left out: the catalog holds nothing of theirs.
 */
export function resolveSearchPath(settings: readonly string[], role: string, existingSchemas: readonly string[]): string[] {
  const first = settings.find((entry) => entry.startsWith('search_path='));
  const value = first === undefined ? SERVER_DEFAULT : first.slice('search_path='.length);
  const existing = new Set(existingSchemas);
  const path: string[] = [];
  for (const name of splitIdentifiers(value)) {
    const schema = name === '$user' ? role : name;
    if (existing.has(schema) && !path.includes(schema)) path.push(schema);
  }
  return path;
}

/**
 * Splits a search_path value the way the server does: commas separate, double quotes keep
 * case and commas (`""` is a quote), unquoted names are folded to lower case.
 */
export function splitIdentifiers(value: string): string[] {
  const names: string[] = [];
  let index = 0;
  while (index < value.length) {
    while (index < value.length && /\s/.test(value[index]!)) index++;
    let name = '';
    if (value[index] === '"') {
      index++;
      while (index < value.length) {
        if (value[index] === '"') {
          if (value[index + 1] === '"') {
            name += '"';
            index += 2;
            continue;
          }
          index++;
          break;
        }
        name += value[index++];
      }
      while (index < value.length && value[index] !== ',') index++;
    } else {
      const end = value.indexOf(',', index);
      name = value.slice(index, end === -1 ? value.length : end).trim().toLowerCase();
      index = end === -1 ? value.length : end;
    }
    if (name !== '') names.push(name);
    index++;
  }
  return names;
}

/** A search_path value naming exactly these schemas, each quoted, for `set_config`. */
export function formatSearchPath(schemas: readonly string[]): string {
  return schemas.map((schema) => `"${schema.replace(/"/g, '""')}"`).join(', ');
}

/**
 * `value` as an SQL string literal that means the same whatever standard_conforming_strings
 * says (a database can turn it off): an E'' string with backslashes and quotes escaped. Schema
 * names come from the audited database and must not be able to end the literal.
 */
export function sqlLiteral(value: string): string {
  return `E'${value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
