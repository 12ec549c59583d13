-- The search_path the application's sessions start with, from ALTER ROLE / ALTER DATABASE
-- settings, never from this session's own (pinned to pg_catalog at connect time, issue 9).
-- Most specific first: this role in this database, this role anywhere, anyone in this database.
select
  pg_catalog.current_user() as role,
  array(
    select cfg
    from pg_catalog.pg_db_role_setting s
    cross join lateral pg_catalog.unnest(s.setconfig) as cfg
    where pg_catalog.starts_with(cfg, 'search_path=')
      and (s.setdatabase operator(pg_catalog.=) 0::pg_catalog.oid
        or s.setdatabase operator(pg_catalog.=) (
          select d.oid from pg_catalog.pg_database d where d.datname operator(pg_catalog.=) pg_catalog.current_database()
        ))
      and (s.setrole operator(pg_catalog.=) 0::pg_catalog.oid
        or s.setrole operator(pg_catalog.=) (
          select r.oid from pg_catalog.pg_roles r where r.rolname operator(pg_catalog.=) pg_catalog.current_user()
        ))
    order by (s.setrole operator(pg_catalog.<>) 0::pg_catalog.oid) desc, (s.setdatabase operator(pg_catalog.<>) 0::pg_catalog.oid) desc
  )::pg_catalog.text[] as settings
