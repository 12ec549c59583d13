-- Sequences and the column owning them: deptype 'a' for serial / OWNED BY, 'i' for identity.
select
  c.oid::pg_catalog.int8 as oid,
  n.nspname as schema,
  c.relname as name,
  owner.relid as owner_relid,
  owner.attnum as owner_attnum,
  exists (
    select 1 from pg_catalog.pg_depend d
    where d.classid operator(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
      and d.objid operator(pg_catalog.=) c.oid
      and d.deptype operator(pg_catalog.=) 'e'
  ) as extension_owned
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
left join lateral (
  select d.refobjid::pg_catalog.int8 as relid, d.refobjsubid::int as attnum
  from pg_catalog.pg_depend d
  where d.classid operator(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
    and d.objid operator(pg_catalog.=) c.oid
    and d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
    and d.refobjsubid operator(pg_catalog.>) 0
    and d.deptype operator(pg_catalog.=) any ('{a,i}'::pg_catalog."char"[])
  limit 1
) owner on true
where c.relkind operator(pg_catalog.=) 'S'
  and n.nspname operator(pg_catalog.<>) all ('{pg_catalog,information_schema}'::pg_catalog.name[])
  and n.nspname operator(pg_catalog.!~) '^pg_(toast|temp)'
