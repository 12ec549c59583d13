-- User triggers; FK enforcement triggers are internal. The function id is built here because
-- a trigger may run a function from a schema the catalog leaves out.
select
  t.oid::int8 as oid,
  t.tgrelid::int8 as relid,
  t.tgname as name,
  t.tgfoid::int8 as function_oid,
  fn.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')' as function_id,
  t.tgtype::int as tgtype,
  array(
    select a.attname::text
    from unnest(t.tgattr::int2[]) with ordinality as u(attnum, ord)
    join pg_attribute a on a.attrelid = t.tgrelid and a.attnum = u.attnum
    order by u.ord
  ) as columns,
  exists (
    select 1 from pg_depend d
    where d.classid = 'pg_trigger'::regclass and d.objid = t.oid and d.deptype = 'e'
  ) as extension_owned
from pg_trigger t
join pg_class c on c.oid = t.tgrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_proc p on p.oid = t.tgfoid
join pg_namespace fn on fn.oid = p.pronamespace
where not t.tgisinternal
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp)'
