-- Server facts. The search path code resolves names against is read by search-path.sql.
select
  pg_catalog.current_setting('server_version') as server_version,
  pg_catalog.current_setting('server_version_num')::int as server_version_num,
  array(select e.extname::pg_catalog.text from pg_catalog.pg_extension e order by e.extname) as extensions
