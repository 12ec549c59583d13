export { audit } from './run.js';
export type { AuditOptions, AuditReport, AuditStats } from './run.js';
export type { Finding, Evidence, EvidenceKind, EvidenceRole, Verdict, Confidence, Reason } from './match/types.js';
export type * from './catalog.js';
export { DeadSchemaError } from './errors.js';
export { defineConfig, type DeadSchemaConfig } from './config/index.js';
