/**
 * Known failures the CLI prints as one line plus a reason; anything else is a crash (exit 2)
 * whose stack shows only with --debug.
 */
export class DeadSchemaError extends Error {
  override readonly name = 'DeadSchemaError';
  constructor(
    message: string,
    readonly details: { path?: string; reason?: string; hint?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, path: this.details.path, reason: this.details.reason };
  }
}

export class ConfigError extends DeadSchemaError {}
export class SchemaSourceError extends DeadSchemaError {}
export class UsageError extends DeadSchemaError {}

export function isDeadSchemaError(error: unknown): error is DeadSchemaError {
  return error instanceof DeadSchemaError;
}

/** The message of whatever was thrown, for events and one-line errors. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
