/** The baseline's file name in the code root; apart from baseline.ts so finding it loads no schema library. */
export const BASELINE_FILE = 'dead-schema.baseline.json';
