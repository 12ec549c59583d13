-- Live columns of every relation kind the catalog keeps. attgenerated is 's' (stored) or,
-- from PostgreSQL 18, 'v' (virtual); either way pg_attrdef holds the expression, not a default.
-- Every name and operator is pg_catalog-qualified: the session's search_path must not be able
-- to substitute an object (issue 9; test/schema/queries-qualified.test.ts checks it).
select
  a.attrelid::pg_catalog.int8 as relid,
  a.attname as name,
  a.attnum::int as attnum,
  pg_catalog.format_type(a.atttypid, a.atttypmod) as type,
  a.atttypid::pg_catalog.int8 as type_oid,
  case when t.typcategory operator(pg_catalog.=) 'A' then t.typelem::pg_catalog.int8 end as element_type_oid,
  a.attnotnull as not_null,
  case when a.attgenerated operator(pg_catalog.=) '' then pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) end as default,
  case when a.attgenerated operator(pg_catalog.<>) '' then pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) end as generated,
  a.attidentity operator(pg_catalog.<>) '' as identity,
  pg_catalog.col_description(a.attrelid, a.attnum) as comment
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid operator(pg_catalog.=) a.attrelid
join pg_catalog.pg_namespace n on n.oid operator(pg_catalog.=) c.relnamespace
join pg_catalog.pg_type t on t.oid operator(pg_catalog.=) a.atttypid
left join pg_catalog.pg_attrdef ad on ad.adrelid operator(pg_catalog.=) a.attrelid and ad.adnum operator(pg_catalog.=) a.attnum
where a.attnum operator(pg_catalog.>) 0
  and not a.attisdropped
  and c.relkind operator(pg_catalog.=) any ('{r,p,f,v,m}'::pg_catalog."char"[])
  and n.nspname operator(pg_catalog.<>) all ('{pg_catalog,information_schema}'::pg_catalog.name[])
  and n.nspname operator(pg_catalog.!~) '^pg_(toast|temp)'
