-- Tables (r), partitioned tables (p), foreign tables (f), views (v) and materialized views (m).
select
  c.oid::pg_catalog.int8 as oid,
  n.nspname as schema,
  c.relname as name,
  c.relkind::pg_catalog.text as relkind,
  case when c.relkind operator(pg_catalog.=) any ('{v,m}'::pg_catalog."char"[]) then pg_catalog.pg_get_viewdef(c.oid, true) end as definition,
  pg_catalog.obj_description(c.oid, 'pg_class') as comment,
  (
    select pg_catalog.concat(pn.nspname, '.', pc.relname)
    from pg_catalog.pg_inherits i
    join pg_catalog.pg_class pc on pc.oid operator(pg_catalog.=) i.inhparent
    join pg_catalog.pg_namespace pn on pn.oid operator(pg_catalog.=) pc.relnamespace
    where i.inhrelid operator(pg_catalog.=) c.oid and c.relispartition
    limit 1
  ) as partition_of,
  array(
    select a.attname::pg_catalog.text
    from pg_catalog.pg_constraint k
    cross join lateral pg_catalog.unnest(k.conkey) with ordinality as u(attnum, ord)
    join pg_catalog.pg_attribute a on a.attrelid operator(pg_catalog.=) k.conrelid and a.attnum operator(pg_catalog.=) u.attnum
    where k.conrelid operator(pg_catalog.=) c.oid and k.contype operator(pg_catalog.=) 'p'
    order by u.ord
  ) as primary_key,
  array(
    select p.pubname::pg_catalog.text
    from pg_catalog.pg_publication p
    where p.puballtables
      or exists (
        select 1 from pg_catalog.pg_publication_rel pr
        where pr.prpubid operator(pg_catalog.=) p.oid and pr.prrelid operator(pg_catalog.=) c.oid
      )
    order by 1
  ) as publications,
  c.relreplident::pg_catalog.text as replica_identity,
  exists (
    select 1 from pg_catalog.pg_depend d
    where d.classid operator(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
      and d.objid operator(pg_catalog.=) c.oid
      and d.deptype operator(pg_catalog.=) 'e'
  ) as extension_owned
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
where c.relkind operator(pg_catalog.=) any ('{r,p,f,v,m}'::pg_catalog."char"[])
  and n.nspname operator(pg_catalog.<>) all ('{pg_catalog,information_schema}'::pg_catalog.name[])
  and n.nspname operator(pg_catalog.!~) '^pg_(toast|temp)'
