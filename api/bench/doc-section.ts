/**
 * Each benchmark owns one section of `docs/performance.md`, between its own `<!-- name:start -->` and
 * `<!-- name:end -->` markers: a run replaces its section (markers included) and leaves the others alone,
 * or appends it when the document has none yet.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const NEW_DOCUMENT = '# Performance\n\nMeasurements of the IMLU Campaign SDK. Each section is written by the benchmark named in it.\n';

/** `section` starts with `start` and ends with `end`. */
export function writeDocSection(doc: string, start: string, end: string, section: string): void {
  const current = existsSync(doc) ? readFileSync(doc, 'utf8') : NEW_DOCUMENT;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  writeFileSync(doc, from >= 0 && to > from ? `${current.slice(0, from)}${section}${current.slice(to + end.length)}` : `${current.trimEnd()}\n\n${section}\n`);
}
