-- What each view and materialized view reads, from its rewrite rule's dependencies:
-- ref_subid > 0 is a column, 0 the whole relation. The rule's dependency on its own view is dropped.
select distinct
  r.ev_class::pg_catalog.int8 as view_oid,
  case
    when d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass then 'class'
    when d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_proc'::pg_catalog.regclass then 'proc'
    when d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_type'::pg_catalog.regclass then 'type'
  end as ref_kind,
  d.refobjid::pg_catalog.int8 as ref_oid,
  d.refobjsubid::int as ref_subid
from pg_catalog.pg_rewrite r
join pg_catalog.pg_class v on v.oid operator(pg_catalog.=) r.ev_class
join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) v.relnamespace
join pg_catalog.pg_depend d
  on d.classid operator(pg_catalog.=) 'pg_catalog.pg_rewrite'::pg_catalog.regclass and d.objid operator(pg_catalog.=) r.oid
where v.relkind operator(pg_catalog.=) any ('{v,m}'::pg_catalog."char"[])
  and d.deptype operator(pg_catalog.=) 'n'
  and d.refclassid operator(pg_catalog.=) any (array[
    'pg_catalog.pg_class'::pg_catalog.regclass, 'pg_catalog.pg_proc'::pg_catalog.regclass, 'pg_catalog.pg_type'::pg_catalog.regclass
  ]::pg_catalog.oid[])
  and not (d.refclassid operator(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass and d.refobjid operator(pg_catalog.=) r.ev_class)
  and n.nspname operator(pg_catalog.<>) all ('{pg_catalog,information_schema}'::pg_catalog.name[])
  and n.nspname operator(pg_catalog.!~) '^pg_(toast|temp)'
