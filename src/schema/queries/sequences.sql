-- Sequences and the column owning them: deptype 'a' for serial / OWNED BY, 'i' for identity.
select
  c.oid::int8 as oid,
  n.nspname as schema,
  c.relname as name,
  owner.relid as owner_relid,
  owner.attnum as owner_attnum,
  exists (
    select 1 from pg_depend d
    where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e'
  ) as extension_owned
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
left join lateral (
  select d.refobjid::int8 as relid, d.refobjsubid::int as attnum
  from pg_depend d
  where d.classid = 'pg_class'::regclass and d.objid = c.oid
    and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0
    and d.deptype in ('a', 'i')
  limit 1
) owner on true
where c.relkind = 'S'
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp)'
