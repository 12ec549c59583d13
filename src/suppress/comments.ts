import type { Catalog } from '../catalog.js';

/** One `@dead-schema-ignore` found in a database comment. */
export interface CommentIgnore {
  id: string;
  /** Empty when the marker has no `: reason`; such a marker hides nothing. */
  reason: string;
  /** The whole comment, for messages. */
  comment: string;
}

const MARKER = /@dead-schema-ignore\b([^\n]*)/;

/**
 * `COMMENT ON TABLE|VIEW|COLUMN|FUNCTION ... IS '... @dead-schema-ignore: reason'` keeps the
 * reason next to the object in the migrations, where a reviewer of the DROP will see it. The
 * reason runs to the end of the comment's line.
 */
export function commentIgnores(catalog: Catalog): CommentIgnore[] {
  const found: CommentIgnore[] = [];
  const read = (id: string, comment: string | null | undefined): void => {
    if (comment == null) return;
    const match = MARKER.exec(comment);
    if (match === null) return;
    const rest = (match[1] ?? '').trim();
    found.push({ id, reason: rest.startsWith(':') ? rest.slice(1).trim() : '', comment });
  };
  for (const relation of catalog.relations) {
    read(relation.id, relation.comment);
    for (const column of relation.columns) read(`${relation.id}.${column.name}`, column.comment);
  }
  for (const fn of catalog.functions) read(fn.id, fn.comment);
  return found;
}
