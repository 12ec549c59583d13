-- What column defaults and generated expressions use (functions, sequences, types, other
-- columns). Generated expressions depend on their own table's columns with deptype 'a'; the
-- expression's dependency on its own column is dropped.
select distinct
  ad.adrelid::int8 as relid,
  ad.adnum::int as attnum,
  a.attgenerated <> '' as generated,
  case d.refclassid
    when 'pg_class'::regclass then 'class'
    when 'pg_proc'::regclass then 'proc'
    when 'pg_type'::regclass then 'type'
  end as ref_kind,
  d.refobjid::int8 as ref_oid,
  d.refobjsubid::int as ref_subid
from pg_attrdef ad
join pg_attribute a on a.attrelid = ad.adrelid and a.attnum = ad.adnum
join pg_class c on c.oid = ad.adrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_depend d on d.classid = 'pg_attrdef'::regclass and d.objid = ad.oid
where d.deptype in ('n', 'a')
  and d.refclassid in ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass)
  and not (d.refclassid = 'pg_class'::regclass and d.refobjid = ad.adrelid and d.refobjsubid in (0, ad.adnum))
  and not a.attisdropped
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp)'
