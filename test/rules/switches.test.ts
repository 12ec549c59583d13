import { describe, expect, it } from 'vitest';
import { projectFiles } from '../support/project-files.js';
import { rules } from '../../rules/index.js';
import { UsageError } from '../../src/errors.js';
import { applyRuleSwitches } from '../../src/rules/switches.js';
import { scanProject } from '../../src/scan/index.js';

// The client comes from a local module, so no import names @prisma/client in this file.
const INVOICES = `import { prisma } from './db.js';
export const overdue = () =>
  prisma.invoice.findMany({ where: { dueAt: { lt: new Date() } }, select: { id: true } });
`;

async function scan(packageJson: object, switches?: Record<string, boolean>) {
  const root = projectFiles({ 'package.json': JSON.stringify(packageJson), 'src/invoices.ts': INVOICES, 'src/db.ts': 'export const prisma = {} as any;\n' });
  const switched = applyRuleSwitches(rules, switches);
  const result = await scanProject({ root, interestingNames: new Set(['invoice', 'dueAt']), rules: switched.rules, offRules: switched.off });
  const invoices = result.files.find((f) => f.file === 'src/invoices.ts')!;
  return { events: result.events.filter((e) => e.kind === 'library-rule-off'), prismaRefs: invoices.libraryRefs.filter((r) => r.rule === 'prisma') };
}

describe('config rules: forcing library rules on and off', () => {
  it('accepts a rule name or an enabling package, and refuses unknown or contradicting keys', () => {
    expect(applyRuleSwitches(rules, { '@prisma/client': false }).off.map((r) => r.name)).toEqual(['prisma']);
    expect(applyRuleSwitches(rules, { knex: true }).rules.find((r) => r.name === 'knex')!.isEnabled!(new Set())).toBe(true);
    expect(() => applyRuleSwitches(rules, { prism: true })).toThrow(UsageError);
    expect(() => applyRuleSwitches(rules, { prisma: true, '@prisma/client': false })).toThrow(/turns the prisma rule off/);
  });

  it('reports Prisma-shaped calls in a package that does not depend on Prisma, and reads nothing there', async () => {
    const { events, prismaRefs } = await scan({ name: 'billing', dependencies: { express: '^4' } });
    expect(prismaRefs).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ file: 'src/invoices.ts', line: 3 });
    expect(events[0]!.message).toMatch(/does not import it; set config rules: \{ "prisma": true \}/);
  });

  it('does not take another ORM\'s calls for Prisma (a Sequelize model upsert with options)', async () => {
    const root = projectFiles({
      'package.json': JSON.stringify({ name: 'crm', dependencies: { sequelize: '^6' } }),
      'src/views.js': 'export const save = (options, row, transaction) => options.database.customViewOrder.upsert({ ...row }, { transaction });\n',
    });
    const switched = applyRuleSwitches(rules, undefined);
    const result = await scanProject({ root, interestingNames: new Set(), rules: switched.rules, offRules: switched.off });
    expect(result.events.filter((e) => e.kind === 'library-rule-off')).toEqual([]);
  });

  it('reads those calls once the config forces the rule on, with no event', async () => {
    const { events, prismaRefs } = await scan({ name: 'billing', dependencies: { express: '^4' } }, { prisma: true });
    expect(events).toEqual([]);
    expect(prismaRefs.length).toBeGreaterThan(0);
  });

  it('turned off by the config, the rule reads nothing and the event says the config did it', async () => {
    const { events, prismaRefs } = await scan({ name: 'billing', dependencies: { '@prisma/client': '^6' } }, { prisma: false });
    expect(prismaRefs).toEqual([]);
    expect(events[0]!.message).toMatch(/config rules turns it off/);
  });
});
