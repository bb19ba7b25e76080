/**
 * The imports queue: people imports run in the background (the console's import wizard).
 * A queue of its own, so a file of a million lines never holds up a confirmation email or
 * a newsletter batch; its consumer runs one import at a time per worker.
 */
export const IMPORTS_QUEUE = 'imports';

export const ImportJobName = {
  /** Read a stored file (import_chunks) and import it, resuming from its checkpoint. */
  RunImport: 'run-import',
} as const;

/** Ids only: the file, the mapping and the choices are in PostgreSQL. */
export interface RunImportPayload {
  importId: string;
}

/** One job id per claim attempt: a re-drive after a worker died is a new job, a duplicate of a live one is not. */
export const importJobId = (importId: string, attempt: number): string => `import-${importId}-${attempt}`;
