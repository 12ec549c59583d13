import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectFiles } from '../support/project-files.js';
import { ImportedConstants } from '../../src/scan/imported-constants.js';
import { scanTypeScript } from '../../src/scan/typescript.js';
import knex from '../../rules/knex/index.js';


describe('ImportedConstants', () => {
  const root = projectFiles({
    'src/tables.ts': `
export const ORDERS = 'orders';
export const LINES: string = "order_lines";
export const DYNAMIC = \`audit_\${suffix}\`;
export enum Tables { Customers = 'customers', Coupons = "coupons", Count = 3 }
export const Views = { revenue: 'daily_revenue', 'late-orders': 'late_orders' } as const;
export const notAString = 42;
`,
    'src/index.ts': `export * from './tables.js';\nexport { ORDERS as ORDER_TABLE } from './tables.js';\nexport * from './index.js';\n`,
  });
  const constants = new ImportedConstants();
  const importer = path.join(root, 'src/repo.ts');

  it('reads exported string constants, string enum members and const objects of strings', () => {
    const exported = constants.exportsOf(importer, './tables.js')!;
    expect(exported.get('ORDERS')).toBe('orders');
    expect(exported.get('LINES')).toBe('order_lines');
    expect(exported.get('Tables')).toEqual(new Map([['Customers', 'customers'], ['Coupons', 'coupons']]));
    expect(exported.get('Views')).toEqual(new Map([['revenue', 'daily_revenue'], ['late-orders', 'late_orders']]));
  });

  it('never invents a value: templates with holes and non-strings are left out', () => {
    const exported = constants.exportsOf(importer, './tables.js')!;
    expect(exported.has('DYNAMIC')).toBe(false);
    expect(exported.has('notAString')).toBe(false);
  });

  it('follows barrels (star and named re-exports with renames) and survives a cycle', () => {
    const exported = constants.exportsOf(importer, '.')!;
    expect(exported.get('ORDERS')).toBe('orders');
    expect(exported.get('ORDER_TABLE')).toBe('orders');
  });

  it('only follows relative specifiers that resolve to a file', () => {
    expect(constants.exportsOf(importer, 'knex')).toBeUndefined();
    expect(constants.exportsOf(importer, './missing.js')).toBeUndefined();
  });

  it('lets a library rule and raw SQL see imported names, with evidence where the code names them', () => {
    const text = `import knexFactory from 'knex';
import { ORDERS, Tables } from './index.js';
const db = knexFactory({ client: 'pg' });
export const totals = () => db(\`\${ORDERS} as o\`).select('o.total_cents');
export const names = () => db.raw(\`select display_name from \${Tables.Customers}\`);
`;
    const scan = scanTypeScript('src/repo.ts', text, false, {
      interestingNames: new Set(['total_cents', 'display_name', 'orders', 'customers']),
      rules: [knex],
      packages: new Set(['knex']),
      importedConstants: (specifier) => constants.exportsOf(importer, specifier),
    });
    const columns = scan.libraryRefs.flatMap(({ ref }) => (ref.kind === 'use' && ref.name !== undefined ? [{ name: ref.name, tables: ref.relations.map((r) => ('table' in r ? r.table : r.model)) }] : []));
    expect(columns).toContainEqual({ name: 'total_cents', tables: ['orders'] });
    const fragments = scan.sqlSites.flatMap((site) => site.template.holes.flatMap((hole) => (hole.kind === 'fragment' ? hole.template.chunks : [])));
    const chunk = fragments.find((c) => c.text === 'customers');
    expect(chunk).toBeDefined();
    expect(text.slice(chunk!.start, chunk!.start + 'Tables.Customers'.length)).toBe('Tables.Customers');
  });
});
