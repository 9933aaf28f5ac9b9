import { bodyLimit } from 'hono/body-limit';
import { createRouter } from '../http/openapi.ts';
import { postConfirmation, showConfirmation } from './confirm.handlers.ts';
import { documentConfirmationRoutes } from './confirm.routes.ts';

/** Confirmation links, mounted at `/`. */
export function confirmRouter() {
  const router = createRouter();
  router.get('/v1/confirm/:token', showConfirmation);
  // The form holds one hidden field: anything bigger is not our page's post.
  router.post('/v1/confirm/:token', bodyLimit({ maxSize: 1024 }), postConfirmation);
  documentConfirmationRoutes(router);
  return router;
}
