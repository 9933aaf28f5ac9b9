/**
 * Development only: a demo staff account, so a person trying `pnpm start` can open the console without
 * first running `imlu staff add`. `startServer` calls this only where it seeds the demo campaign (never in
 * production), and `main.ts` prints the address and the TOTP secret with the console's URL. The address
 * is on a reserved domain (`.example`): the sign-in e-mail is printed to the terminal like every demo message.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { staff } from '../db/schema.ts';
import type { FieldCrypto } from '../signing/crypto.ts';
import { addStaff, staffEmailIndex, staffTotp } from './accounts.ts';

export const DEMO_STAFF = { name: 'Demo campaigner', email: 'demo.staff@imlu.example', role: 'admin' } as const;

export interface DemoStaffSignIn {
  email: string;
  /** Base32 TOTP secret: for an authenticator app, or `oathtool --totp -b <secret>`. */
  secret: string;
  uri: string;
}

/** The demo staff account, created on first use; its secret is read back on later starts. */
export async function ensureDemoStaff(db: Db, crypto: FieldCrypto, now: number = Date.now()): Promise<DemoStaffSignIn> {
  const [row] = await db.orm.select().from(staff).where(eq(staff.emailHash, staffEmailIndex(crypto, DEMO_STAFF.email)));
  if (row) {
    const secret = crypto.decrypt(row.totpSecretEnc, row.id, 'staff-totp');
    return { email: DEMO_STAFF.email, secret, uri: staffTotp(secret, row.name).toString() };
  }
  const { secret, uri } = await addStaff(db, crypto, { ...DEMO_STAFF, actor: { id: 'system:demo', name: 'demo seed' }, now });
  return { email: DEMO_STAFF.email, secret, uri };
}
