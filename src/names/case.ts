import { pluralize as inflectionPluralize } from 'inflection';

/**
 * The one place snake_case, camelCase and PascalCase forms of database names are derived.
 * Libraries disagree on digits (`address_line1` ↔ `addressLine1`, Kysely's
 * `underscoreBeforeDigits` gives `address_line_1`), so both digit conventions are produced.
 */

export function toCamel(snake: string): string {
  return snake.replace(/_+([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

export function toPascal(snake: string): string {
  const camel = toCamel(snake);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** `createdAt` → `created_at`; `userID` → `user_id`; `line1` → `line1`. */
export function toSnake(camel: string, options: { underscoreBeforeDigits?: boolean } = {}): string {
  let out = camel
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
  if (options.underscoreBeforeDigits) out = out.replace(/([a-z])([0-9])/g, '$1_$2');
  return out;
}

/**
 * Every spelling code may use for a database name: the name itself, camelCase and PascalCase.
 * A name that is already camelCase (quoted `"createdAt"`) yields itself and its snake form.
 */
export function nameForms(dbName: string): string[] {
  const forms = new Set<string>([dbName]);
  if (/^[a-z0-9_]+$/.test(dbName) && dbName.includes('_')) {
    forms.add(toCamel(dbName));
    forms.add(toPascal(dbName));
    // `address_line_1` is `addressLine1` in camelCase libraries without underscoreBeforeDigits
    forms.add(toCamel(dbName.replace(/_([0-9])/g, '$1')));
  } else if (/[A-Z]/.test(dbName)) {
    forms.add(toSnake(dbName));
  }
  return [...forms].filter((form) => form.length > 0);
}

/** A JS identifier that looks like it could name a column (used to keep the mention index small). */
export function isIdentifierLike(text: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(text);
}

/**
 * Column names a field spelled in code may stand for, most literal first: libraries map
 * camelCase keys to snake_case (knexSnakeCaseMappers, Kysely CamelCasePlugin with or without
 * underscoreBeforeDigits/upperCase, Sequelize `underscored`, Drizzle `casing`).
 */
export function columnCandidates(field: string): string[] {
  const snake = toSnake(field);
  const digits = toSnake(field, { underscoreBeforeDigits: true });
  return [...new Set([field, snake, digits, snake.toUpperCase(), digits.toUpperCase()])];
}

/**
 * Table names a model name may stand for: as written, snake_case, and English plurals of
 * both (`User` → `users`, `Category` → `categories`, `Quiz` → `quizzes`), which ORMs derive by
 * default. The plain `s` form stays a candidate too (`Person` → `persons`, not only `people`):
 * hand-named tables often take it.
 */
export function tableCandidates(model: string): string[] {
  const snake = toSnake(model);
  const lower = model.toLowerCase();
  const forms = [model, snake, lower];
  return [...new Set([...forms, ...forms.map(pluralize), ...forms.map((form) => `${form}s`)])];
}

/**
 * The English plural ORMs use: inflection's, the package Sequelize itself pluralises with, so
 * `Quiz` → `Quizzes`, `Status` → `Statuses`, `Person` → `People` come out as the ORM makes them.
 */
export function pluralize(word: string): string {
  return inflectionPluralize(word);
}
