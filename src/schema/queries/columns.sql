-- Live columns of every relation kind the catalog keeps. attgenerated is 's' (stored) or,
-- from PostgreSQL 18, 'v' (virtual); either way pg_attrdef holds the expression, not a default.
select
  a.attrelid::int8 as relid,
  a.attname as name,
  a.attnum::int as attnum,
  format_type(a.atttypid, a.atttypmod) as type,
  a.atttypid::int8 as type_oid,
  case when t.typcategory = 'A' then t.typelem::int8 end as element_type_oid,
  a.attnotnull as not_null,
  case when a.attgenerated = '' then pg_get_expr(ad.adbin, ad.adrelid) end as default,
  case when a.attgenerated <> '' then pg_get_expr(ad.adbin, ad.adrelid) end as generated,
  a.attidentity <> '' as identity,
  col_description(a.attrelid, a.attnum) as comment
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_type t on t.oid = a.atttypid
left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
where a.attnum > 0
  and not a.attisdropped
  and c.relkind in ('r', 'p', 'f', 'v', 'm')
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp)'
