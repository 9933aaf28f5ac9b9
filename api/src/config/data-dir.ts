/**
 * DATA_DIR holds the embedded database and, outside production, the generated keys: only its owner may
 * list or read it. A directory created by us is 0700 already (mkdir with mode); one that existed before
 * (made by hand, by a package or by an older version) keeps whatever mode it had, so it is tightened here
 * at every start, or the start is refused when that is not possible.
 */
import { chmodSync, statSync, type Stats } from 'node:fs';
import { ConfigError } from './env.ts';

export const OWNER_ONLY_DIR = 0o700;

export function secureDataDir(dir: string): void {
  let stats: Stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    // Not there yet: whoever needs it first (the key file, the database) creates it 0700.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new ConfigError([{ variable: 'DATA_DIR', message: `${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` }]);
  }
  if (!stats.isDirectory()) throw new ConfigError([{ variable: 'DATA_DIR', message: `${dir} is not a directory` }]);
  if ((stats.mode & 0o777) === OWNER_ONLY_DIR) return;
  try {
    chmodSync(dir, OWNER_ONLY_DIR);
  } catch (error) {
    throw new ConfigError([
      {
        variable: 'DATA_DIR',
        message:
          `${dir} has mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')} and could not be made owner-only (0700): ` +
          `${(error as NodeJS.ErrnoException).code ?? 'error'}. Run \`chmod 700\` on it as its owner, or point DATA_DIR elsewhere.`,
      },
    ]);
  }
}
