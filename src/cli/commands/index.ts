import type { Command } from '../context.js';

/**
 * Every CLI command by name, loaded when run; `audit` is the default. A run loads only its own
 * command's modules: an audit never loads the drop-script parser, and `--help` loads them all.
 */
export const commands: Record<string, () => Promise<Command>> = {
  audit: async () => (await import('./audit.js')).auditCommand,
  'check-drops': async () => (await import('./check-drops.js')).checkDropsCommand,
  baseline: async () => (await import('./baseline.js')).baselineCommand,
  explain: async () => (await import('./explain.js')).explainCommand,
  init: async () => (await import('./init.js')).initCommand,
};
