/**
 * Reading a campaign file (YAML or JSON — YAML 1.2 reads both) and validating it with the same zod schema
 * as the HTTP API, with errors that name the file, line and column of each bad field.
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, isNode, isScalar } from 'yaml';
import { CampaignInputSchema, type CampaignInput } from '../campaigns/input.ts';
import { UsageError } from './runtime.ts';

export async function loadCampaignFile(file: string): Promise<CampaignInput> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseCampaignSource(source, file);
}

export function parseCampaignSource(source: string, file: string): CampaignInput {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length) {
    throw new UsageError(doc.errors.map((e) => `${at(e.pos[0])}: ${e.message.split('\n')[0]}`).join('\n'));
  }
  const result = CampaignInputSchema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const lines = result.error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      // One line per unknown key, at the key itself.
      const parent = issue.path.length ? doc.getIn(issue.path.map((p) => (typeof p === 'number' ? p : String(p))), true) : doc.contents;
      return issue.keys.map((key) => {
        const pair = isMap(parent) ? parent.items.find((item) => isScalar(item.key) && item.key.value === key) : undefined;
        const offset = pair && isNode(pair.key) && pair.key.range ? pair.key.range[0] : 0;
        return `${at(offset)}: ${[...issue.path, key].join('.')}: unknown field`;
      });
    }
    // The deepest node that exists on the issue's path: the field itself, or its parent for a missing one.
    let path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    let node: unknown = doc.getIn(path, true);
    while (!isNode(node) && path.length) {
      path = path.slice(0, -1);
      node = path.length ? doc.getIn(path, true) : doc.contents;
    }
    const offset = isNode(node) && node.range ? node.range[0] : 0;
    const field = issue.path.length ? issue.path.join('.') : '(top level)';
    const message = /received undefined$/.test(issue.message) ? 'required, missing' : issue.message;
    return [`${at(offset)}: ${field}: ${message}`];
  });
  throw new UsageError(`invalid campaign file:\n${lines.map((l) => `  ${l}`).join('\n')}`);
}
