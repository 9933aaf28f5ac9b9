import { createRouter } from '../http/openapi.ts';
import { postSignatureHandler } from './signatures.handlers.ts';
import { postSignature, signingGates } from './signatures.routes.ts';

/** Signing, mounted at `/v1/campaigns`. */
export function signaturesRouter() {
  const router = createRouter();
  router.openAPIRegistry.registerPath(postSignature);
  router.post('/:slug/signatures', ...signingGates(), postSignatureHandler);
  return router;
}
