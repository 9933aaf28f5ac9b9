/**
 * A small levelled logger. Callers pass a fixed message and a few scalar fields; by convention no field
 * ever holds personal data, request bodies, query strings or IP addresses (see `http/request-log.ts`).
 */
import type { LogLevel } from '../config/env.ts';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogSink = (level: Exclude<LogLevel, 'silent'>, line: string) => void;

const consoleSink: LogSink = (level, line) => {
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.info(line);
};

/** Human-readable `time level message key=value …` lines; values with spaces are JSON-quoted. */
export function createLogger(level: LogLevel = 'info', sink: LogSink = consoleSink): Logger {
  const min = RANK[level];
  const log = (at: Exclude<LogLevel, 'silent'>) => (message: string, fields?: LogFields) => {
    if (RANK[at] < min) return;
    let line = `${new Date().toISOString()} ${at} ${message}`;
    for (const [key, value] of Object.entries(fields ?? {})) {
      if (value === undefined) continue;
      const text = String(value);
      line += ` ${key}=${/^[\w./:@+-]*$/.test(text) && text !== '' ? text : JSON.stringify(text)}`;
    }
    sink(at, line);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

export const silentLogger: Logger = createLogger('silent');
