import { except } from 'hono/combine';
import { asDependencyFailure, asUnstorableText, ERROR_STATUS, ServiceError, type ErrorCode } from './lib/errors';
import { errorResponse, newRouter } from './lib/router';
import { init, requestContext } from './middleware/init';
import { docsRoutes } from './routes/docs';
import { healthRoutes } from './routes/health';
import { jobRoutes } from './routes/jobs';
import { v1 } from './routes/v1';
import { webhookRoutes } from './routes/webhooks/ghl';

export function createApp() {
  const app = newRouter();
  app.use('*', requestContext);
  // Liveness answers without configuration or I/O, so a misconfigured deploy still reports "alive".
  app.use('*', except(['/health', '/docs'], init));

  app.route('/', healthRoutes);
  app.route('/jobs', jobRoutes);
  app.route('/v1', v1);
  app.route('/webhooks', webhookRoutes);
  app.route('/', docsRoutes);

  app.notFound((c) => errorResponse(c, 'not_found', `No route for ${c.req.method} ${c.req.path}`));

  app.onError((err, c) => {
    const logger = c.get('logger');
    if (err instanceof ServiceError) {
      if (err.status >= 500) logger?.warn('service error', { code: err.code, error: err, cause: err.cause });
      if (err.retryAfter !== undefined) c.header('Retry-After', String(err.retryAfter));
      return errorResponse(c, err.code, err.message, err.details);
    }
    // Hono's own HTTPException (e.g. malformed JSON in the validator) carries a client status.
    const status = (err as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = (Object.entries(ERROR_STATUS).find(([, s]) => s === status)?.[0] ?? 'bad_request') as ErrorCode;
      return errorResponse(c, code, err.message || 'Bad request');
    }
    const unstorable = asUnstorableText(err);
    if (unstorable) {
      logger?.info('input refused by the database', { error: err });
      return errorResponse(c, unstorable.code, unstorable.message, unstorable.details);
    }
    const outage = asDependencyFailure(err);
    if (outage) {
      logger?.warn('dependency unavailable', { code: outage.code, error: err });
      c.header('Retry-After', String(outage.retryAfter));
      return errorResponse(c, outage.code, outage.message, outage.details);
    }
    // Unknown failure: full detail in the log, a generic message to the client.
    logger?.error('unhandled error', { error: err });
    return errorResponse(c, 'internal_error', 'Something went wrong on our side; the request id identifies it');
  });

  return app;
}

