-- What row-level-security policies read (USING / WITH CHECK expressions); the policy's own
-- link to its table is deptype 'a' and is not a read.
select distinct
  pol.polrelid::pg_catalog.int8 as relid,
  case
    when d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass then 'class'
    when d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass then 'proc'
    when d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass then 'type'
  end as ref_kind,
  d.refobjid::pg_catalog.int8 as ref_oid,
  d.refobjsubid::int as ref_subid
from pg_catalog.pg_policy pol
join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) pol.polrelid
join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
join pg_catalog.pg_depend d
  on d.classid operator(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass and d.objid operator(pg_catalog.=) pol.oid
where d.deptype operator(pg_catalog.=) 'n'
  and d.refclassid operator(pg_catalog.=) any (array[
    'pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass
  ]::pg_catalog.oid[])
  and n.nspname operator(pg_catalog.<>) all ('{pg_catalog,information_schema}'::pg_catalog.name[])
  and n.nspname operator(pg_catalog.!~) '^pg_(toast|temp)'
