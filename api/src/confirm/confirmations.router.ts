import { createRouter } from '../http/openapi.ts';
import { postConfirmationHandler } from './confirmations.handlers.ts';
import { postConfirmation } from './confirmations.routes.ts';

/** SMS code confirmation, mounted at `/v1/campaigns`. */
export function confirmationsRouter() {
  return createRouter().openapi(postConfirmation, postConfirmationHandler);
}
