import type { Rule } from '../../src/rules/types.js';
import { learnedClients } from './clients.js';

/**
 * postgres.js sends tagged templates, which the core parses with their helpers (`sql(row, 'a')`,
 * `sql(rows)`, `sql(['a', 'b'])`, `sql('table')`, `sql.unsafe(text)`), including camelCase names
 * that `transform: postgres.camel`/`fromCamel` turns into snake_case columns. What needs the
 * library is knowing which names are clients: `const pgc = postgres(url)`, `await sql.reserve()`,
 * the callback parameters of `.begin()`/`.savepoint()`, and members and parameters typed
 * `Sql`/`TransactionSql`/`ReservedSql`. The rule hands those names to the core, scoped to where
 * they hold, so their templates are SQL even when the text does not look like it (an English
 * comment inside) and their helpers expand like `sql`'s. Rows read back in camelCase are the
 * core's name matching.
 */
/** What a file must contain to introduce a client name (a factory call, a scoped callback, a client type). */
const CLIENT_HINT = /\b(?:postgres|reserve|begin|savepoint)\s*\(|\b(?:Sql|TransactionSql|ReservedSql)\b/;

const rule: Rule = {
  name: 'postgres',
  enablers: ['postgres'],
  meta: {
    docs: 'https://github.com/porsager/postgres#usage',
    upstream: 'https://github.com/porsager/postgres',
    sees: 'templates on clients under any name (`postgres()`, `.reserve()`, `.begin`/`.savepoint`), helper columns, camelCase transforms',
    defaultConfidence: 'high',
  },
  visitors: {
    SourceFile(node) {
      // Learning walks the file again: skip files that cannot introduce a client name.
      if (!CLIENT_HINT.test(node.text)) return undefined;
      const clients = learnedClients(node);
      return clients.length === 0 ? undefined : { sqlTags: clients };
    },
  },
};

export default rule;
