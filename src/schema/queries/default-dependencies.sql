-- What column defaults and generated expressions use (functions, sequences, types, other
-- columns). Generated expressions depend on their own table's columns with deptype 'a'; the
-- expression's dependency on its own column is dropped.
select distinct
  ad.adrelid::pg_catalog.int8 as relid,
  ad.adnum::int as attnum,
  a.attgenerated operator(pg_catalog.<>) '' as generated,
  case
    when d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass then 'class'
    when d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass then 'proc'
    when d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass then 'type'
  end as ref_kind,
  d.refobjid::pg_catalog.int8 as ref_oid,
  d.refobjsubid::int as ref_subid
from pg_catalog.pg_attrdef ad
join pg_catalog.pg_attribute a on a.attrelid operator(pg_catalog.=) ad.adrelid and a.attnum operator(pg_catalog.=) ad.adnum
join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) ad.adrelid
join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
join pg_catalog.pg_depend d
  on d.classid operator(pg_catalog.=) 'pg_catalog.pg_attrdef'::pg_catalog.regclass and d.objid operator(pg_catalog.=) ad.oid
where d.deptype operator(pg_catalog.=) any ('{n,a}'::pg_catalog."char"[])
  and d.refclassid operator(pg_catalog.=) any (array[
    'pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass
  ]::pg_catalog.oid[])
  and not (
    d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass
    and d.refobjid operator(pg_catalog.=) ad.adrelid
    and (d.refobjsubid operator(pg_catalog.=) 0 or d.refobjsubid operator(pg_catalog.=) ad.adnum)
  )
  and not a.attisdropped
  and n.nspname operator(pg_catalog.<>) all ('{pg_catalog,information_schema}'::pg_catalog.name[])
  and n.nspname operator(pg_catalog.!~) '^pg_(toast|temp)'
