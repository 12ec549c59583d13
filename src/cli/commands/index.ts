import type { Command } from '../context.js';
import { auditCommand } from './audit.js';
import { checkDropsCommand } from './check-drops.js';
import { baselineCommand } from './baseline.js';
import { explainCommand } from './explain.js';
import { initCommand } from './init.js';

/** Every CLI command by name; `audit` is the default. */
export const commands: Record<string, Command> = {
  audit: auditCommand,
  'check-drops': checkDropsCommand,
  baseline: baselineCommand,
  explain: explainCommand,
  init: initCommand,
};
