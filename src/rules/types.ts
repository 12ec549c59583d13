import type { ts } from 'ts-morph';
import type { Confidence } from '../match/types.js';
import type { AuditRule } from './audit-rule.js';

/**
 * The contract between the core and one library rule (rules/<npm-package>/index.ts).
 * A rule only describes what the library's calls mean; it returns references and never
 * decides or reports a verdict. Names in references are as the code spells them; the core
 * resolves them against the real schema (and the rule's own model declarations).
 */

/** A relation as code names it: a database name, or a model name this rule declares. */
export type RelationRef = { table: string; schema?: string } | { model: string };

export type RuleRef =
  /** A model/entity/table object maps `model` to one of `tables` (first existing wins). */
  | {
      kind: 'model';
      model: string;
      tables: string[];
      schema?: string;
      position: number;
      /** The declaration has columns the rule cannot see (a spread of an imported object): its field list is not complete. */
      open?: boolean;
    }
  /**
   * A model field maps to a column: `column` when the declaration names it, otherwise the
   * field name with the usual case conversions. A declaration is never a use.
   */
  | { kind: 'field'; model: string; field: string; column?: string; position: number }
  /**
   * The library reads, writes or deletes `name` (a column or field, as spelled in code) of one
   * of `relations` (several when an unqualified name sits in a join), or the relation itself
   * when `name` is absent.
   */
  | {
      kind: 'use';
      relations: RelationRef[];
      name?: string;
      role: 'read' | 'write' | 'delete';
      position: number;
      /** The library itself reads or writes this from node_modules (`better-auth organization()`): evidence `library-owned`. */
      owned?: string;
      /**
       * The relation is a guess the schema may refute (a PostgREST embed named by a foreign-key
       * column or constraint, not a table): when none of `relations` resolves, `name` is still a
       * possible use of some column so named, a token that lowers confidence and never proves it alive.
       */
      orToken?: boolean;
    }
  /** The library calls a database function (`supabase.rpc('fn', args)`); `argCount` narrows overloads when known. */
  | { kind: 'call'; function: string; schema?: string; argCount?: number; position: number }
  /** Every column of the relation may be read (`select()`, `findMany()` with no `select`). */
  | { kind: 'wildcard'; relation: RelationRef; position: number };

/** What a `use` reference does to its column or relation. */
export type UseRole = Extract<RuleRef, { kind: 'use' }>['role'];

export interface RuleSqlSite {
  /** An expression holding SQL text (string, template, same-file constant). */
  expression: ts.Expression;
  /** A clause, not a whole statement (`whereRaw('a = ?')`). */
  fragment: boolean;
  /**
   * The library binds `?`/`:name` as values and `??`/`:name:` as identifiers (knex raw,
   * Sequelize replacements); the core turns them into holes before parsing.
   */
  bindings?: 'question-and-named';
  /** For a fragment: the relations (and aliases) of the query it is part of, so its columns bind to them. */
  from?: { table: string; schema?: string; alias?: string }[];
}

/** What a hook found at one node. */
export interface RuleMatch {
  refs?: RuleRef[];
  sql?: RuleSqlSite[];
  /**
   * The node the library call spans: string, key and type mentions inside it were understood
   * by the rule and are not also name matches (property accesses inside still are).
   */
  covers?: ts.Node;
  /**
   * A declaration (a table schema, a relations map): nothing inside it reads or writes data, so
   * every mention inside, property accesses too (`index().on(t.loyaltyTier)`), is dropped.
   */
  declares?: ts.Node;
  /**
   * Names that are SQL clients within `scope` (`t` in `sql.begin((t) => ...)`, `pgc = postgres()`):
   * the core then parses their templates and expands their helpers like the conventional `sql`.
   */
  sqlTags?: { name: string; member: boolean; scope: ts.Node }[];
}

/** A hook returns a match, `false` to tell the core this node is not SQL, or undefined to defer. */
export type HookResult = RuleMatch | false | undefined;

export interface RuleFileContext {
  sourceFile: ts.SourceFile;
  /** Path relative to the scanned root. */
  file: string;
  isTest: boolean;
  /** Packages the file's nearest package.json depends on, plus the packages it imports. */
  packages: ReadonlySet<string>;
  /** The expression a same-file `const`/`let` name holds at a position, if known. */
  valueOf(name: string, position: number): ts.Expression | undefined;
}

/** Compiler nodes a rule may visit; the core walks each file once and dispatches by kind. */
export interface VisitedNodes {
  /** Visited first, before any node inside it: the place for whole-file facts such as learned client names. */
  SourceFile: ts.SourceFile;
  CallExpression: ts.CallExpression;
  NewExpression: ts.NewExpression;
  TaggedTemplateExpression: ts.TaggedTemplateExpression;
  ClassDeclaration: ts.ClassDeclaration;
  VariableDeclaration: ts.VariableDeclaration;
}

export type Visitors = {
  [K in keyof VisitedNodes]?: (node: VisitedNodes[K], ctx: RuleFileContext) => HookResult;
};

/** A non-code file a rule reads declarations from (schema.prisma). */
export interface RuleProjectFiles {
  /** Glob patterns relative to the scanned root. */
  patterns: string[];
  /** Declarations in one file; positions are offsets into `text`. */
  scan(file: string, text: string): RuleRef[];
}

export interface RuleMeta {
  /** The library's own documentation. */
  docs: string;
  /** The library's repository, where its real behaviour can be checked. */
  upstream: string;
  /** One line for the README table: what this rule sees. */
  sees: string;
  /** How sure a dead verdict can be when this library is the only access path. */
  defaultConfidence: Confidence;
}

export interface Rule extends AuditRule {
  /** The npm package name; the rule's folder is named after it. */
  name: string;
  /** Packages whose presence (dependency or import) enables the rule. */
  enablers: string[];
  /** Defaults to "any enabler is present". */
  isEnabled?(packages: ReadonlySet<string>): boolean;
  meta: RuleMeta;
  visitors?: Visitors;
  projectFiles?: RuleProjectFiles;
  /**
   * Text only this library's calls have (`prisma.user.findMany({`, `.selectFrom(`): when the rule
   * is off for a file that contains it, the audit reports a `library-rule-off` event, since the
   * file's queries then read as plain code and what they use may come out dead.
   */
  callShape?: RegExp;
}
