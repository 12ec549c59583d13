-- Server facts and the search path unqualified names resolve against.
select
  current_setting('server_version') as server_version,
  current_setting('server_version_num')::int as server_version_num,
  current_schemas(false)::text[] as search_path,
  array(select e.extname::text from pg_extension e order by e.extname) as extensions
