import { createRouter } from '../http/openapi.ts';
import { postSignatureHandler } from './signatures.handlers.ts';
import { postSignature } from './signatures.routes.ts';

/** Signing, mounted at `/v1/campaigns`. */
export function signaturesRouter() {
  return createRouter().openapi(postSignature, postSignatureHandler);
}
