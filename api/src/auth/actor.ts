/**
 * Who did something, for the audit log: an admin token (`token:<id>`), the bootstrap `ADMIN_TOKEN`
 * (`bootstrap`), a person at the command line (`cli:<os user>`), or a staff member signed in to the console
 * (`staff:<id>`, named as their account is).
 */
import { userInfo } from 'node:os';

export interface Actor {
  /** Stable identifier: `token:<id>`, `bootstrap`, `cli:<os user>` or `staff:<id>`. */
  id: string;
  /** Human label at the time: the token's name, `ADMIN_TOKEN`, the OS user, or the staff member's name. */
  name: string;
}

export const BOOTSTRAP_ACTOR: Actor = { id: 'bootstrap', name: 'ADMIN_TOKEN' };

export function tokenActor(tokenId: string, name: string): Actor {
  return { id: `token:${tokenId}`, name };
}

export function staffActor(staffId: string, name: string): Actor {
  return { id: `staff:${staffId}`, name };
}

/** The person running the CLI, by OS user name (`cli:unknown` where the OS cannot tell). */
export function cliActor(): Actor {
  let user = 'unknown';
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry (some containers): keep `unknown`.
  }
  return { id: `cli:${user}`, name: user };
}
