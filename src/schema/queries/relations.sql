-- Tables (r), partitioned tables (p), foreign tables (f), views (v) and materialized views (m).
select
  c.oid::int8 as oid,
  n.nspname as schema,
  c.relname as name,
  c.relkind::text as relkind,
  case when c.relkind in ('v', 'm') then pg_get_viewdef(c.oid, true) end as definition,
  obj_description(c.oid, 'pg_class') as comment,
  (
    select pn.nspname || '.' || pc.relname
    from pg_inherits i
    join pg_class pc on pc.oid = i.inhparent
    join pg_namespace pn on pn.oid = pc.relnamespace
    where i.inhrelid = c.oid and c.relispartition
    limit 1
  ) as partition_of,
  array(
    select a.attname::text
    from pg_constraint k
    cross join lateral unnest(k.conkey) with ordinality as u(attnum, ord)
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum
    where k.conrelid = c.oid and k.contype = 'p'
    order by u.ord
  ) as primary_key,
  exists (
    select 1 from pg_depend d
    where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e'
  ) as extension_owned
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p', 'f', 'v', 'm')
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp)'
