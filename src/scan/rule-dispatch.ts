import { ts } from 'ts-morph';
import type { AnalysisEvent } from '../catalog.js';
import { messageOf } from '../errors.js';
import { isRuleEnabled } from '../rules/enable.js';
import { importedPackages } from '../rules/imported-packages.js';
import type { HookResult, Rule, RuleFileContext, RuleSqlSite, VisitedNodes } from '../rules/types.js';
import { valueAt, type TemplateContext } from './templates.js';
import type { LibraryRef, Mention, MentionKind } from './types.js';

type RuleHook = (node: ts.Node, ctx: RuleFileContext) => HookResult;

/** Mention kinds a library call's own arguments produce; a rule that understood the call replaces them. */
const COVERED_MENTION_KINDS = new Set<MentionKind>(['string', 'value', 'key', 'type']);

export interface DispatchFile {
  sourceFile: ts.SourceFile;
  file: string;
  isTest: boolean;
  /** The scan's template context: learned client names go into it. */
  ctx: TemplateContext;
  events: AnalysisEvent[];
}

/**
 * The library rules of one file: which are enabled (its package's dependencies plus its own
 * imports), their hooks by node kind for the scanner's single walk, and what they returned.
 */
export class RuleDispatch {
  readonly enabled: Rule[];
  readonly refs: LibraryRef[] = [];
  readonly sql: (RuleSqlSite & { rule: string })[] = [];
  /** Nodes a rule said are not SQL. */
  readonly notSql = new Set<ts.Node>();
  private readonly hooks = new Map<ts.SyntaxKind, { rule: string; hook: RuleHook }[]>();
  private readonly covered: [number, number, number | undefined][] = [];
  private readonly declared: [number, number][] = [];
  private readonly ruleCtx: RuleFileContext;
  private matchCount = 0;

  constructor(
    rules: readonly Rule[],
    dependencies: ReadonlySet<string>,
    private readonly target: DispatchFile,
    /** Adds the libraries a workspace package passes on, for packages the file imports. */
    withWorkspaceLibraries: (names: Iterable<string>) => Set<string> = (names) => new Set(names),
  ) {
    const packages = new Set([...dependencies, ...withWorkspaceLibraries(importedPackages(target.sourceFile))]);
    this.enabled = rules.filter((rule) => isRuleEnabled(rule, packages));
    for (const rule of this.enabled) {
      for (const [kindName, hook] of Object.entries(rule.visitors ?? {})) {
        const kind = ts.SyntaxKind[kindName as keyof VisitedNodes];
        const list = this.hooks.get(kind) ?? [];
        list.push({ rule: rule.name, hook: hook as RuleHook });
        this.hooks.set(kind, list);
      }
    }
    this.ruleCtx = {
      sourceFile: target.sourceFile,
      file: target.file,
      isTest: target.isTest,
      packages,
      valueOf: (name, position) => valueAt(target.ctx, name, position),
    };
  }

  /** Runs every enabled hook for this node's kind. */
  run(node: ts.Node): void {
    const hooks = this.hooks.get(node.kind);
    if (hooks === undefined) return;
    const { sourceFile, ctx } = this.target;
    for (const { rule, hook } of hooks) {
      let result: HookResult;
      try {
        result = hook(node, this.ruleCtx);
      } catch (error) {
        // A rule bug costs that node's references, not the file's scan.
        const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
        this.target.events.push({ kind: 'library-rule-failed', file: this.target.file, line: line + 1, message: `rule ${rule}: ${messageOf(error)}` });
        continue;
      }
      if (result === undefined) continue;
      if (result === false) {
        this.notSql.add(node);
        continue;
      }
      const refs = result.refs ?? [];
      // Mentions a match covers come back if none of its refs names anything in the schema.
      const match = refs.length > 0 ? this.matchCount++ : undefined;
      for (const ref of refs) this.refs.push(match === undefined ? { rule, ref } : { rule, ref, match });
      for (const site of result.sql ?? []) this.sql.push({ ...site, rule });
      if (result.covers !== undefined) this.covered.push([result.covers.getStart(sourceFile), result.covers.end, match]);
      if (result.declares !== undefined) this.declared.push([result.declares.getStart(sourceFile), result.declares.end]);
      for (const tag of result.sqlTags ?? []) {
        (ctx.learnedTags ??= []).push({ name: tag.name, member: tag.member, start: tag.scope.getStart(sourceFile), end: tag.scope.end });
      }
    }
  }

  /** Inside a declaration (a Drizzle table's indexes, checks, defaults): DDL the catalog already has. */
  isDeclared(position: number): boolean {
    return this.declared.some(([start, end]) => position >= start && position < end);
  }

  /**
   * Mentions minus what rules understood: nothing inside a declaration but comments, and the
   * strings, keys and types of a covered call (held with the call's match number).
   */
  filterMentions(mentions: Mention[]): Mention[] {
    if (this.covered.length === 0 && this.declared.length === 0) return mentions;
    const out: Mention[] = [];
    for (const m of mentions) {
      if (m.kind !== 'comment' && this.isDeclared(m.position)) continue;
      const cover = COVERED_MENTION_KINDS.has(m.kind) ? this.covered.find(([start, end]) => m.position >= start && m.position < end) : undefined;
      if (cover === undefined) out.push(m);
      else if (cover[2] !== undefined) out.push({ ...m, coveredBy: cover[2] });
    }
    return out;
  }
}
