/**
 * Strings that look like SQL but are another database's dialect: ClickHouse next to Postgres in
 * analytics apps, MySQL or BigQuery in exporters, psql scripts. They read other databases (or
 * the same names in another engine), so they are counted apart and never weaken a Postgres
 * verdict (issue 10, §7). Only text Postgres' grammar rejected is classified, so valid
 * Postgres is never set aside.
 */
export type OtherDialect = 'clickhouse' | 'mysql' | 'bigquery' | 'psql';

const SIGNS: [OtherDialect, RegExp][] = [
  // `{websiteId:UUID}` parameters, engines and functions only ClickHouse has.
  [
    'clickhouse',
    /\{\w+:\s*[A-Z][\w(), ]*\}|\bENGINE\s*=\s*\w*MergeTree\b|\b(arrayJoin|multiIf|uniq(Exact|Combined)?|toStartOf\w+|toDateTime(64)?|toUUID|toUnixTimestamp|countIf|sumIf|avgIf|groupArray|quantiles?(Merge|State|Exact)?|multiSearchAny|replaceAll|formatDateTime|dateDiff|LowCardinality)\s*\(|\bany\s+(left|inner)\s+join\b|\bPREWHERE\b/i,
  ],
  // `project.dataset.table` in backticks, SAFE_ functions, typed STRUCT/ARRAY.
  ['bigquery', /`[\w-]+\.[\w-]+\.[\w-]+`|\bSAFE_\w+\s*\(|\b(STRUCT|ARRAY)\s*</],
  ['mysql', /`[^`\n]+`|\bAUTO_INCREMENT\b|\bON\s+DUPLICATE\s+KEY\b|\bENGINE\s*=\s*InnoDB\b|\bUNSIGNED\b/i],
  ['psql', /^\s*\\[a-zA-Z]+/m],
];

export function otherDialectOf(text: string): OtherDialect | undefined {
  for (const [dialect, sign] of SIGNS) if (sign.test(text)) return dialect;
  return undefined;
}
