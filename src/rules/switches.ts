import type { AnalysisEvent } from '../catalog.js';
import { UsageError } from '../errors.js';
import type { FileScan } from '../scan/types.js';
import type { Rule } from './types.js';
import { counted } from '../text/count.js';

/**
 * Config `rules: { "<package>": true | false }`: a rule forced on runs on every file whatever
 * its package.json says (code that reaches the library through a path the dependency graph does
 * not show), a rule forced off runs nowhere (a library the project wraps so differently that its
 * rule misreads it). A key is a rule name or one of its enabling packages.
 */
export interface SwitchedRules {
  /** The rules to run, with forced-on ones enabled everywhere. */
  rules: Rule[];
  /** Rules the config turned off: still checked for their call shapes. */
  off: Rule[];
}

export function applyRuleSwitches(rules: readonly Rule[], switches: Readonly<Record<string, boolean>> | undefined): SwitchedRules {
  if (switches === undefined) return { rules: [...rules], off: [] };
  const byKey = new Map<string, Rule>();
  for (const rule of rules) for (const key of [rule.name, ...rule.enablers]) if (!byKey.has(key)) byKey.set(key, rule);
  const setting = new Map<Rule, boolean>();
  for (const [key, on] of Object.entries(switches)) {
    const rule = byKey.get(key);
    if (rule === undefined) {
      throw new UsageError(`config rules: no library rule is named "${key}" (known: ${rules.map((r) => r.name).join(', ')})`);
    }
    const earlier = setting.get(rule);
    if (earlier !== undefined && earlier !== on) throw new UsageError(`config rules: "${key}" turns the ${rule.name} rule ${on ? 'on' : 'off'}, another key turns it ${earlier ? 'on' : 'off'}`);
    setting.set(rule, on);
  }
  const out: SwitchedRules = { rules: [], off: [] };
  for (const rule of rules) {
    const on = setting.get(rule);
    if (on === false) out.off.push(rule);
    else if (on === true) out.rules.push({ ...rule, isEnabled: () => true });
    else out.rules.push(rule);
  }
  return out;
}

/**
 * Files whose text has a rule's call shape while the rule did not run on them: one event per
 * rule, with the count and the first place, saying why the rule was off there.
 */
export class RuleOffWatch {
  private readonly seen = new Map<string, { rule: Rule; forced: boolean; files: number; file: string; line: number; text: string }>();
  private readonly watched: { rule: Rule; forced: boolean }[];

  constructor(rules: readonly Rule[], off: readonly Rule[]) {
    this.watched = [
      ...rules.filter((rule) => rule.callShape !== undefined).map((rule) => ({ rule, forced: false })),
      ...off.filter((rule) => rule.callShape !== undefined).map((rule) => ({ rule, forced: true })),
    ];
  }

  check(scan: FileScan, text: string): void {
    if (scan.isTest) return;
    for (const { rule, forced } of this.watched) {
      if (scan.rules.includes(rule.name)) continue;
      const match = rule.callShape!.exec(text);
      if (match === null) continue;
      const known = this.seen.get(rule.name);
      if (known !== undefined) {
        known.files++;
        continue;
      }
      const line = text.slice(0, match.index).split('\n').length;
      this.seen.set(rule.name, { rule, forced, files: 1, file: scan.file, line, text: match[0].trim() });
    }
  }

  events(): AnalysisEvent[] {
    return [...this.seen.values()].map(({ rule, forced, files, file, line, text }) => ({
      kind: 'library-rule-off',
      file,
      line,
      statement: text,
      message:
        `${counted(files, 'file')} call${files === 1 ? 's' : ''} what looks like ${rule.name} (\`${text}\`) but the ${rule.name} rule is off there` +
        (forced
          ? ': config rules turns it off, so those queries read as plain code'
          : `: no package.json above ${files === 1 ? 'it' : 'them'} depends on ${rule.enablers.join(' or ')} and ${files === 1 ? 'it does' : 'they do'} not import it; set config rules: { "${rule.name}": true } if ${files === 1 ? 'it uses' : 'they use'} it`),
    }));
  }
}
