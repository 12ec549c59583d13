-- Enums, domains, ranges and standalone composite types (relkind 'c'); every table also has a
-- row type, which is not a type anyone created.
select
  t.oid::int8 as oid,
  n.nspname as schema,
  t.typname as name,
  t.typtype::text as typtype,
  array(select e.enumlabel::text from pg_enum e where e.enumtypid = t.oid order by e.enumsortorder) as enum_values,
  exists (
    select 1 from pg_depend d
    where d.deptype = 'e'
      and ((d.classid = 'pg_type'::regclass and d.objid = t.oid)
        or (d.classid = 'pg_class'::regclass and d.objid = t.typrelid))
  ) as extension_owned
from pg_type t
join pg_namespace n on n.oid = t.typnamespace
where (
    t.typtype in ('e', 'd', 'r')
    or (t.typtype = 'c' and exists (select 1 from pg_class r where r.oid = t.typrelid and r.relkind = 'c'))
  )
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp)'
