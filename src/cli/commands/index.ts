import type { Command } from '../context.js';
import { auditCommand } from './audit.js';

/** Every CLI command by name; `audit` is the default. */
export const commands: Record<string, Command> = {
  audit: auditCommand,
};
