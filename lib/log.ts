import { env } from '@/lib/env';

/**
 * Structured logs: one JSON object per line on stdout, what Docker, systemd and log collectors read.
 * Code that logs takes a `LogSink` (default `defaultLog`), so a test or an embedding can collect the
 * lines instead.
 */

export type LogLevel = 'info' | 'warn' | 'error';
export type LogLine = { level: LogLevel; msg: string } & Record<string, unknown>;
export type LogSink = (line: LogLine) => void;

const RANK: Record<LogLevel | 'silent', number> = { info: 0, warn: 1, error: 2, silent: 3 };

/** Writes the line as JSON on stdout, `time` first. Never throws. */
export const stdoutLog: LogSink = (line) => {
  try {
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
  } catch {
    // a log line that cannot be written must not break the work it describes
  }
};

/** stdoutLog for the lines at or above AKI_LOG_LEVEL (default info). */
export const defaultLog: LogSink = (line) => {
  if (RANK[line.level] >= RANK[env().logLevel]) stdoutLog(line);
};
