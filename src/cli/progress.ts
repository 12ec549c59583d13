/** A stage's progress callback (`AuditOptions.onProgress`) that also erases its line. */
export interface ProgressLine {
  (step: string, done: number, total: number): void;
  /** Erases the line when one is shown; call before printing anything else. */
  clear(): void;
}

/** A terminal redraw costs a syscall and flickers; ten a second reads as live. */
export const PROGRESS_INTERVAL_MS = 100;

const LABELS: Record<string, string> = {
  boot: 'starting embedded Postgres',
  migrations: 'applying migrations',
  schema: 'applying the schema file',
  introspect: 'reading the catalog',
};

/**
 * One self-overwriting status line. Within a step, an update closer than the interval to the
 * last write is dropped, except the step's last one (done = total); a new step shows at once.
 * No timers: a write can never land after the caller has cleared the line and printed.
 */
export function progressLine(write: (text: string) => void, intervalMs = PROGRESS_INTERVAL_MS, now: () => number = Date.now): ProgressLine {
  let shown = '';
  let shownStep: string | undefined;
  let lastWrite = -Infinity;

  const update = (step: string, done: number, total: number): void => {
    const text = render(step, done, total);
    if (text === shown) return;
    const time = now();
    if (step === shownStep && done < total && time - lastWrite < intervalMs) return;
    write(`\r\x1b[K${text}`);
    shown = text;
    shownStep = step;
    lastWrite = time;
  };

  return Object.assign(update, {
    clear(): void {
      if (shown !== '') write('\r\x1b[K');
      shown = '';
      shownStep = undefined;
    },
  });
}

function render(step: string, done: number, total: number): string {
  const label = LABELS[step] ?? step;
  return total > 1 ? `dead-schema: ${label} ${done}/${total}` : `dead-schema: ${label}…`;
}

/** `CI=false` and `CI=0` are how people opt a CI-like shell back out. */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}
