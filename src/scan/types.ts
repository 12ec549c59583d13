import type { AnalysisEvent } from '../catalog.js';
import type { RuleRef } from '../rules/types.js';
import type { FragmentContext } from '../sql/fragments.js';
import type { SqlTemplate } from '../sql/types.js';

/** Where a piece of SQL was found; decides how sure we are that it is SQL at all. */
export type SqlOrigin = 'tagged-template' | 'call-argument' | 'string-literal' | 'sql-file' | 'library-call';

export interface SqlSite {
  template: SqlTemplate;
  origin: SqlOrigin;
  /** Tag or callee text (`sql`, `tx.unsafe`, `pool.query`), for evidence and rules. */
  callee?: string;
  /** A fragment is expected (a `sql` tag whose text is not a full statement). */
  allowFragment: boolean;
  /** The relations a library says a fragment belongs to (`knex('customers').whereRaw(...)`). */
  fragmentOf?: FragmentContext;
  position: number;
}

/** How a name appeared outside SQL. */
export type MentionKind =
  | 'property' // row.soul_md, settings.soulMd
  | 'element' // row['soul_md']
  | 'key' // { soul_md: ... }, { soulMd }
  | 'destructure' // const { soul_md } = row
  | 'string' // 'soul_md'
  // A string used as data, where no query builder takes a table name: compared (`kind === 'x'`),
  // a switch case, an object value under a key that is not about tables, a logger's name.
  | 'value'
  | 'type' // interface/type literal/class property declaration
  | 'other-language' // a word in a Python, Go, Ruby, ... file: another service may query it
  | 'comment';

export interface Mention {
  name: string;
  kind: MentionKind;
  position: number;
  /** The receiver's last identifier for property/element accesses (`args` in args.file_path). */
  receiver?: string;
  /** A library match understood this mention; it counts only if none of that match's refs resolves. */
  coveredBy?: number;
}

export interface FileScan {
  /** Path relative to the scanned root, with forward slashes. */
  file: string;
  isTest: boolean;
  sqlSites: SqlSite[];
  mentions: Mention[];
  /** What library rules understood in this file (model declarations, reads, writes). */
  libraryRefs: LibraryRef[];
  /** Names of the rules enabled for this file. */
  rules: string[];
  /** Offsets where each line starts, to turn positions into line:column. */
  lineStarts: number[];
  events: AnalysisEvent[];
}

/** A rule's reference with the rule that made it (model names are scoped per rule). */
export interface LibraryRef {
  rule: string;
  ref: RuleRef;
  /** The hook result (numbered per file) the ref came from, when that result covered a node. */
  match?: number;
}
