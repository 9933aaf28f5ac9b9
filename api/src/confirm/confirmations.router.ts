import { createRouter } from '../http/openapi.ts';
import { postConfirmationHandler, postResendHandler } from './confirmations.handlers.ts';
import { postConfirmation, postResend } from './confirmations.routes.ts';

/** SMS code confirmation, mounted at `/v1/campaigns`. */
export function confirmationsRouter() {
  return createRouter().openapi(postConfirmation, postConfirmationHandler).openapi(postResend, postResendHandler);
}
