-- Enums, domains, ranges and standalone composite types (relkind 'c'); every table also has a
-- row type, which is not a type anyone created.
select
  t.oid::pg_catalog.int8 as oid,
  n.nspname as schema,
  t.typname as name,
  t.typtype::pg_catalog.text as typtype,
  array(
    select e.enumlabel::pg_catalog.text
    from pg_catalog.pg_enum e
    where e.enumtypid operator(pg_catalog.=) t.oid
    order by e.enumsortorder
  ) as enum_values,
  exists (
    select 1 from pg_catalog.pg_depend d
    where d.deptype operator(pg_catalog.=) 'e'
      and ((d.classid operator(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass and d.objid operator(pg_catalog.=) t.oid)
        or (d.classid operator(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass and d.objid operator(pg_catalog.=) t.typrelid))
  ) as extension_owned
from pg_catalog.pg_type t
join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) t.typnamespace
where (
    t.typtype operator(pg_catalog.=) any ('{e,d,r}'::pg_catalog."char"[])
    or (
      t.typtype operator(pg_catalog.=) 'c'
      and exists (
        select 1 from pg_catalog.pg_class r
        where r.oid operator(pg_catalog.=) t.typrelid and r.relkind operator(pg_catalog.=) 'c'
      )
    )
  )
  and n.nspname operator(pg_catalog.<>) all ('{pg_catalog,information_schema}'::pg_catalog.name[])
  and n.nspname operator(pg_catalog.!~) '^pg_(toast|temp)'
