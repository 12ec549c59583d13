/**
 * The SQL analyser: parses SQL found in source (templates with holes, fragments, function bodies)
 * with the real Postgres grammar and says which schema objects it reads and writes.
 */
export { analyzeFunctionBody, analyzeSql } from './analyze.js';
export { looksLikeSql } from './detect.js';
export { initSqlParser } from './parser.js';
export { sqlTemplateFromText } from './shape.js';
export type * from './types.js';
