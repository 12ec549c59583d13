-- User triggers; FK enforcement triggers are internal. The function id is built here because
-- a trigger may run a function from a schema the catalog leaves out.
select
  t.oid::pg_catalog.int8 as oid,
  t.tgrelid::pg_catalog.int8 as relid,
  t.tgname as name,
  t.tgfoid::pg_catalog.int8 as function_oid,
  pg_catalog.concat(fn.nspname, '.', p.proname, '(', pg_catalog.oidvectortypes(p.proargtypes), ')') as function_id,
  t.tgtype::int as tgtype,
  array(
    select a.attname::pg_catalog.text
    from pg_catalog.unnest(t.tgattr::pg_catalog.int2[]) with ordinality as u(attnum, ord)
    join pg_catalog.pg_attribute a on a.attrelid operator(pg_catalog.=) t.tgrelid and a.attnum operator(pg_catalog.=) u.attnum
    order by u.ord
  ) as columns,
  exists (
    select 1 from pg_catalog.pg_depend d
    where d.classid operator(pg_catalog.=) 'pg_catalog.pg_trigger'::pg_catalog.regclass
      and d.objid operator(pg_catalog.=) t.oid
      and d.deptype operator(pg_catalog.=) 'e'
  ) as extension_owned
from pg_catalog.pg_trigger t
join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) t.tgrelid
join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
join pg_catalog.pg_proc p on p.oid operator(pg_catalog.=) t.tgfoid
join pg_catalog.pg_namespace fn on fn.oid operator(pg_catalog.=) p.pronamespace
where not t.tgisinternal
  and n.nspname operator(pg_catalog.<>) all ('{pg_catalog,information_schema}'::pg_catalog.name[])
  and n.nspname operator(pg_catalog.!~) '^pg_(toast|temp)'
