import { ts } from 'ts-morph';
import type { AnalysisEvent } from '../catalog.js';
import { looksLikeSql } from '../sql/index.js';
import {
  isSqlTaggedTemplate,
  lastName,
  templateFromExpression,
  templateFromLiteral,
  templateText,
  unwrap,
  type TemplateContext,
} from './templates.js';
import { propertyNameText } from '../rules/helpers.js';
import type { Rule } from '../rules/types.js';
import { splitBindings } from '../sql/bindings.js';
import { RuleDispatch } from './rule-dispatch.js';
import type { ExportedValue } from './imported-constants.js';
import { literalValueNode } from './literal-stand-ins.js';
import type { FileScan, Mention, MentionKind, SqlSite } from './types.js';
import { counted } from '../text/count.js';

/** Calls whose first argument is SQL text. */
const RAW_SQL_METHODS = new Set([
  'unsafe',
  'raw',
  '$queryRaw',
  '$executeRaw',
  '$queryRawUnsafe',
  '$executeRawUnsafe',
  'queryRaw',
  'executeRaw',
]);
/** Generic method names that take SQL only when the text looks like SQL (`router.query('x')` does not). */
const MAYBE_SQL_METHODS = new Set(['query', 'execute', 'exec', 'many', 'one', 'oneOrNone', 'none', 'any', 'prepare']);

export interface TypeScriptScanOptions {
  /** Only names in this set are recorded as mentions: every spelling of every schema name. */
  interestingNames: ReadonlySet<string>;
  extraSqlTags?: RegExp;
  /** Library rules to consider; each is enabled by `packages` or by the file's own imports. */
  rules?: readonly Rule[];
  /** Packages the file's nearest package.json depends on. */
  packages?: ReadonlySet<string>;
  /** Adds what workspace packages pass on to a file that imports them (PackageDependencies). */
  withWorkspaceLibraries?: (names: Iterable<string>) => Set<string>;
  /** String constants a relative import brings in (ImportedConstants.exportsOf, bound to this file). */
  importedConstants?: (specifier: string) => ReadonlyMap<string, ExportedValue> | undefined;
}

function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(file)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

/**
 * One pass over the compiler nodes (ts-morph wrappers cost ~20x more on this hot path)
 * collecting SQL candidates and name mentions; a second step turns candidates into
 * templates once every same-file constant is known.
 */
export function scanTypeScript(
  file: string,
  text: string,
  isTest: boolean,
  options: TypeScriptScanOptions,
): FileScan {
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
  const events: AnalysisEvent[] = [];
  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  const firstDiagnostic = diagnostics[0];
  if (firstDiagnostic !== undefined) {
    const { line } = sourceFile.getLineAndCharacterOfPosition(firstDiagnostic.start ?? 0);
    events.push({
      kind: 'ts-parse-error',
      file,
      line: line + 1,
      message: `${ts.flattenDiagnosticMessageText(firstDiagnostic.messageText, ' ')} (${counted(diagnostics.length, 'syntax error')}; the rest of the file was still scanned)`,
    });
  }

  const ctx: TemplateContext = {
    sourceFile,
    constants: new Map(),
    consumed: new Set(),
    ...(options.extraSqlTags ? { extraTags: options.extraSqlTags } : {}),
  };
  const mentions: Mention[] = [];
  const taggedTemplates: ts.TaggedTemplateExpression[] = [];
  const sqlCalls: { call: ts.CallExpression; argument: ts.Expression; method: string }[] = [];
  const literals: (ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression)[] = [];
  const seenCommentPositions = new Set<number>();
  const { interestingNames } = options;

  // Configured wrapper functions (`sqlTags`) take SQL text like `unsafe` and `raw` do.
  const isRawSqlCall = (method: string): boolean => RAW_SQL_METHODS.has(method) || (options.extraSqlTags?.test(method) ?? false);
  const rules = new RuleDispatch(options.rules ?? [], options.packages ?? new Set(), { sourceFile, file, isTest, ctx, events }, options.withWorkspaceLibraries);

  const remember = (name: string, from: number, value: ts.Expression): void => {
    const values = ctx.constants.get(name) ?? [];
    values.push({ from, value });
    ctx.constants.set(name, values);
  };

  if (options.importedConstants !== undefined) rememberImports(sourceFile, options.importedConstants, remember);

  const mention = (name: string, kind: MentionKind, position: number, receiver?: string): void => {
    if (!interestingNames.has(name)) return;
    mentions.push(receiver === undefined ? { name, kind, position } : { name, kind, position, receiver });
  };

  const collectComments = (pos: number): void => {
    if (seenCommentPositions.has(pos)) return;
    seenCommentPositions.add(pos);
    const ranges = ts.getLeadingCommentRanges(text, pos);
    if (ranges === undefined) return;
    for (const range of ranges) {
      if (seenCommentPositions.has(-range.pos - 1)) continue;
      seenCommentPositions.add(-range.pos - 1);
      const comment = text.slice(range.pos, range.end);
      for (const match of comment.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
        mention(match[0], 'comment', range.pos + match.index);
      }
    }
  };

  const visit = (node: ts.Node): void => {
    collectComments(node.pos);
    rules.run(node);
    switch (node.kind) {
      case ts.SyntaxKind.VariableDeclaration: {
        const decl = node as ts.VariableDeclaration;
        if (ts.isIdentifier(decl.name) && decl.initializer !== undefined) {
          remember(decl.name.text, decl.end, decl.initializer);
        }
        break;
      }
      case ts.SyntaxKind.BinaryExpression: {
        const assignment = node as ts.BinaryExpression;
        if (assignment.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(assignment.left)) {
          remember(assignment.left.text, assignment.end, assignment.right);
        }
        break;
      }
      case ts.SyntaxKind.TaggedTemplateExpression:
        if (rules.notSql.has(node)) break;
        if (isSqlTaggedTemplate(node, ctx) || looksLikeSqlTemplate((node as ts.TaggedTemplateExpression).template)) {
          taggedTemplates.push(node as ts.TaggedTemplateExpression);
        }
        break;
      case ts.SyntaxKind.CallExpression: {
        const call = node as ts.CallExpression;
        const method = lastName(call.expression);
        const argument = call.arguments[0];
        if (method !== undefined && argument !== undefined && !rules.notSql.has(call) && !ts.isCallExpression(unwrap(call.expression))) {
          if (isRawSqlCall(method) || MAYBE_SQL_METHODS.has(method)) {
            sqlCalls.push({ call, argument: queryConfigText(argument) ?? argument, method });
          }
        }
        break;
      }
      case ts.SyntaxKind.PropertyAccessExpression: {
        const access = node as ts.PropertyAccessExpression;
        if (ts.isIdentifier(access.name)) {
          mention(access.name.text, 'property', access.name.getStart(sourceFile), lastName(access.expression));
        }
        break;
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const access = node as ts.ElementAccessExpression;
        if (ts.isStringLiteralLike(access.argumentExpression)) {
          mention(
            access.argumentExpression.text,
            'element',
            access.argumentExpression.getStart(sourceFile) + 1,
            lastName(access.expression),
          );
          // Not also a plain string mention.
          visitChildrenExcept(access, access.argumentExpression);
          return;
        }
        break;
      }
      case ts.SyntaxKind.PropertyAssignment:
      case ts.SyntaxKind.ShorthandPropertyAssignment:
      case ts.SyntaxKind.MethodDeclaration: {
        const name = (node as ts.PropertyAssignment).name;
        if (ts.isObjectLiteralExpression(node.parent) && (ts.isIdentifier(name) || ts.isStringLiteral(name))) {
          mention(name.text, 'key', name.getStart(sourceFile) + (ts.isStringLiteral(name) ? 1 : 0));
          if (ts.isStringLiteral(name)) {
            visitChildrenExcept(node, name);
            return;
          }
        }
        break;
      }
      case ts.SyntaxKind.BindingElement: {
        const element = node as ts.BindingElement;
        const key = element.propertyName ?? element.name;
        if (ts.isObjectBindingPattern(element.parent) && (ts.isIdentifier(key) || ts.isStringLiteral(key))) {
          mention(key.text, 'destructure', key.getStart(sourceFile) + (ts.isStringLiteral(key) ? 1 : 0));
        }
        break;
      }
      case ts.SyntaxKind.PropertySignature:
      case ts.SyntaxKind.PropertyDeclaration: {
        const name = (node as ts.PropertySignature).name;
        if (ts.isIdentifier(name) || ts.isStringLiteral(name)) {
          mention(name.text, 'type', name.getStart(sourceFile) + (ts.isStringLiteral(name) ? 1 : 0));
          if (ts.isStringLiteral(name)) {
            visitChildrenExcept(node, name);
            return;
          }
        }
        break;
      }
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.TemplateExpression: {
        if (isModuleSpecifier(node)) break;
        const literal = node as ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression;
        if (!ts.isTemplateExpression(literal)) {
          const inType = node.parent !== undefined && ts.isLiteralTypeNode(node.parent);
          mention(literal.text, inType ? 'type' : isDataValue(literal) ? 'value' : 'string', literal.getStart(sourceFile) + 1);
        }
        literals.push(literal);
        break;
      }
      default:
        break;
    }
    ts.forEachChild(node, visit);
  };

  const visitChildrenExcept = (node: ts.Node, skip: ts.Node): void => {
    ts.forEachChild(node, (child) => {
      if (child !== skip) visit(child);
    });
  };

  visit(sourceFile);
  collectComments(sourceFile.endOfFileToken.pos);

  const found: { site: SqlSite; node: ts.Node }[] = [];
  const siteNodes = new Set<ts.Node>();
  const addSite = (site: SqlSite, node: ts.Node): void => {
    found.push({ site, node });
    siteNodes.add(node);
  };

  for (const tagged of taggedTemplates) {
    const template = templateFromLiteral(tagged.template, ctx, false);
    const sqlTag = isSqlTaggedTemplate(tagged, ctx);
    addSite(
      {
        template,
        origin: 'tagged-template',
        callee: tagged.tag.getText(sourceFile),
        allowFragment: sqlTag,
        position: tagged.getStart(sourceFile),
      },
      tagged,
    );
    siteNodes.add(tagged.template);
  }
  for (const { expression, fragment, rule, bindings, from } of rules.sql) {
    const target = unwrap(expression);
    if (siteNodes.has(target)) continue;
    const written = ts.isTaggedTemplateExpression(target)
      ? templateFromLiteral(target.template, ctx, false)
      : templateFromExpression(expression, ctx);
    if (written === undefined) continue;
    const template = bindings === undefined ? written : splitBindings(written);
    const site: SqlSite = { template, origin: 'library-call', callee: rule, allowFragment: fragment, position: expression.getStart(sourceFile) };
    if (from !== undefined && from.length > 0) site.fragmentOf = { relations: from };
    addSite(site, target);
    if (ts.isTaggedTemplateExpression(target)) siteNodes.add(target.template);
  }
  for (const { call, argument, method } of sqlCalls) {
    if (siteNodes.has(unwrap(argument))) continue;
    const template = templateFromExpression(argument, ctx);
    if (template === undefined) continue;
    const detected = looksLikeSql(templateText(template));
    if (!isRawSqlCall(method) && detected === false) continue;
    addSite(
      {
        template,
        origin: 'call-argument',
        callee: call.expression.getText(sourceFile),
        allowFragment: isRawSqlCall(method),
        position: argument.getStart(sourceFile),
      },
      unwrap(argument),
    );
  }
  for (const literal of literals) {
    if (siteNodes.has(literal) || ctx.consumed.has(literal) || isInsideSite(literal, siteNodes)) continue;
    if (ts.isTaggedTemplateExpression(literal.parent)) continue;
    const template = ts.isStringLiteral(literal)
      ? templateFromExpression(literal, ctx)
      : templateFromLiteral(literal, ctx, true);
    if (template === undefined || looksLikeSql(templateText(template)) !== 'statement') continue;
    addSite({ template, origin: 'string-literal', allowFragment: false, position: literal.getStart(sourceFile) }, literal);
  }

  // A fragment inlined into a larger statement is analysed there, not again on its own.
  // SQL inside a declaration (`index().on(sql\`${t.createdAt} DESC\`)`) is DDL the catalog holds, not a query.
  const standalone = found.filter(({ node, site }) => !ctx.consumed.has(node) && !rules.isDeclared(site.position)).map(({ site }) => site);
  // A string inside a SQL site (`sql(row, 'linkedin_url')`) is already understood by the SQL analysis.
  const siteRanges = found.map(({ node }) => [node.getStart(sourceFile), node.end] as const);
  const outsideSql = rules.filterMentions(mentions.filter((m) => (m.kind !== 'string' && m.kind !== 'value') || !inside(siteRanges, m.position)));

  return {
    file,
    isTest,
    sqlSites: standalone,
    mentions: outsideSql,
    libraryRefs: rules.refs,
    rules: rules.enabled.map((rule) => rule.name),
    lineStarts: [...sourceFile.getLineStarts()],
    events,
  };
}

function looksLikeSqlTemplate(template: ts.TemplateLiteral): boolean {
  const head = ts.isNoSubstitutionTemplateLiteral(template) ? template.text : template.head.text;
  return looksLikeSql(head) === 'statement';
}

/** `pool.query({ text: '...', values })` and `new Query({ text })`. */
function queryConfigText(argument: ts.Expression): ts.Expression | undefined {
  const expr = unwrap(argument);
  if (!ts.isObjectLiteralExpression(expr)) return undefined;
  for (const prop of expr.properties) {
    if (ts.isPropertyAssignment(prop) && ts.isIdentifier(prop.name) && prop.name.text === 'text') return prop.initializer;
  }
  return undefined;
}

function isModuleSpecifier(node: ts.Node): boolean {
  const parent = node.parent;
  if (parent === undefined) return false;
  return (
    ts.isImportDeclaration(parent) ||
    ts.isExportDeclaration(parent) ||
    ts.isExternalModuleReference(parent) ||
    (ts.isCallExpression(parent) &&
      (parent.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(parent.expression) && parent.expression.text === 'require')))
  );
}

function inside(ranges: readonly (readonly [number, number])[], position: number): boolean {
  return ranges.some(([start, end]) => position >= start && position < end);
}

function isInsideSite(node: ts.Node, sites: Set<ts.Node>): boolean {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (sites.has(current)) return true;
  }
  return false;
}

/** Object keys under which a string may well name a table (`{ table: 'users' }`, `{ from: 'orders' }`). */
const TABLE_KEYS = /table|from|into|relation|model|entity|join|source|target|schema|collection/i;
/** Calls that take a label, not a table: loggers and error reporters. */
const LABEL_CALLS = /^(createLogger|getLogger|logger|log|debug|info|warn|error|trace|captureException|captureMessage|child|useState|useRef|includes|startsWith|endsWith|set[A-Z]\w*)$/;
/** Classes whose first strings are labels: caches, queues, locks, loggers, errors, metrics. */
const LABEL_CLASSES = /(Cache|Queue|Lock|Mutex|Semaphore|Logger|Error|Counter|Gauge|Histogram|Summary|Metric|Span|Channel|Topic|Event)$/;
const COMPARISONS = new Set([
  ts.SyntaxKind.EqualsEqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken,
  ts.SyntaxKind.EqualsEqualsToken,
  ts.SyntaxKind.ExclamationEqualsToken,
]);

/**
 * A string literal used as data rather than handed to a query: compared, a case label, a JSX
 * attribute, an object value under a key that is not about tables, a logger's label or a state
 * setter's value (`setMode('form')`). Such a string spelled
 * like a table (`kind: 'workflow_folder'`) says nothing about the table (issue 10, §2).
 */
function isDataValue(literal: ts.Node): boolean {
  let node = literal;
  while (ts.isParenthesizedExpression(node.parent) || ts.isAsExpression(node.parent) || ts.isSatisfiesExpression(node.parent)) node = node.parent;
  const parent = node.parent;
  if (parent === undefined) return false;
  if (ts.isBinaryExpression(parent)) return COMPARISONS.has(parent.operatorToken.kind);
  if (ts.isCaseClause(parent)) return parent.expression === node;
  // `<section id='templates'>`: markup, never a query.
  if (ts.isJsxAttribute(parent)) return true;
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
    return !TABLE_KEYS.test(propertyNameText(parent.name) ?? '');
  }
  // `new RedisCache('githubRepos', ...)`, `new Counter('orders')`: names of caches, queues, locks and metrics.
  if (ts.isNewExpression(parent) && parent.arguments?.includes(node as ts.Expression) === true) {
    const name = ts.isIdentifier(parent.expression) ? parent.expression.text : ts.isPropertyAccessExpression(parent.expression) ? parent.expression.name.text : '';
    return LABEL_CLASSES.test(name);
  }
  if (ts.isCallExpression(parent) && parent.arguments.includes(node as ts.Expression)) {
    const callee = ts.isPropertyAccessExpression(parent.expression) ? parent.expression.name.text : ts.isIdentifier(parent.expression) ? parent.expression.text : '';
    return LABEL_CALLS.test(callee);
  }
  if (ts.isArrayLiteralExpression(parent)) return isJsonSchemaList(parent);
  return false;
}

/**
 * `required: ['prefixes']` or `enum: ['active']` next to `properties`/`type` in an object: a
 * JSON schema (Fastify, Ajv, OpenAPI) naming fields of a request body or allowed values.
 */
function isJsonSchemaList(list: ts.ArrayLiteralExpression): boolean {
  const holder = list.parent;
  if (!ts.isPropertyAssignment(holder) || holder.initializer !== list || !JSON_SCHEMA_LISTS.has(propertyNameText(holder.name) ?? '')) return false;
  const schema = holder.parent;
  return ts.isObjectLiteralExpression(schema) && schema.properties.some((p) => JSON_SCHEMA_SIBLINGS.has(propertyNameText(p.name) ?? ''));
}

const JSON_SCHEMA_LISTS = new Set(['required', 'enum', 'examples']);
const JSON_SCHEMA_SIBLINGS = new Set(['properties', 'type', 'additionalProperties']);

/**
 * Imported string constants, enums and `as const` objects join the file's constants from its
 * start (`import { SHIPMENTS } from './tables.js'`, `import * as tables from './tables.js'`).
 */
function rememberImports(
  sourceFile: ts.SourceFile,
  exportsOf: (specifier: string) => ReadonlyMap<string, ExportedValue> | undefined,
  remember: (name: string, from: number, value: ts.Expression) => void,
): void {
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings === undefined || statement.importClause?.isTypeOnly === true) continue;
    const exported = exportsOf(statement.moduleSpecifier.text);
    if (exported === undefined || exported.size === 0) continue;
    if (ts.isNamespaceImport(bindings)) {
      const strings = new Map<string, string>();
      for (const [name, value] of exported) if (typeof value === 'string') strings.set(name, value);
      if (strings.size > 0) remember(bindings.name.text, 0, literalValueNode(strings, bindings.name));
      continue;
    }
    for (const element of bindings.elements) {
      const value = exported.get((element.propertyName ?? element.name).text);
      if (value !== undefined) remember(element.name.text, 0, literalValueNode(value, element.name));
    }
  }
}
