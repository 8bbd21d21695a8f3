import path from 'node:path';

/** What e2e-prod/stack.ts tells the tests about the running stack (written to STACK_FILE). */
export type StackInfo = {
  appUrl: string;
  localUrl: string;
  controlUrl: string;
  zoomUrl: string;
  googleUrl: string;
  database: 'postgres' | 'pglite';
  /** False on PGlite (one process only): the worker then runs inside the web process. */
  separateWorker: boolean;
};

export const STACK_FILE = path.resolve('.data/e2e-prod/stack.json');
