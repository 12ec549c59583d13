/*
 * `dead-schema/rules`: the contract a library rule implements. Kept off the main entry because
 * its hooks take TypeScript compiler nodes, whose declarations a project importing only `audit`
 * should not have to type-check (issue 13).
 */
export type {
  HookResult,
  RelationRef,
  Rule,
  RuleFileContext,
  RuleMatch,
  RuleMeta,
  RuleProjectFiles,
  RuleRef,
  RuleSqlSite,
  UseRole,
  VisitedNodes,
  Visitors,
} from './rules/types.js';
// The compiler types the hooks receive, from the same ts-morph the scanner runs: a rule typed
// against another copy of TypeScript could see nodes that differ from those it is given.
export type { ts } from 'ts-morph';
