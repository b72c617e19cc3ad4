import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { HonoEnv } from '../env';
import { ERROR_STATUS, fieldIssues, type ErrorCode, type ErrorEnvelope } from './errors';

/** Shared by every sub-app: zod failures become 422 with field paths in the one envelope. */
export function newRouter() {
  return new OpenAPIHono<HonoEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const body: ErrorEnvelope = {
          error: {
            code: 'validation_failed',
            message: 'The request is not valid',
            details: fieldIssues(result.error.issues),
            requestId: c.get('requestId'),
          },
        };
        return c.json(body, 422);
      }
    },
  });
}

export function errorResponse(c: Context<HonoEnv>, code: ErrorCode, message: string, details?: unknown) {
  const body: ErrorEnvelope = {
    error: { code, message, ...(details === undefined ? {} : { details }), requestId: c.get('requestId') ?? 'unknown' },
  };
  return c.json(body, ERROR_STATUS[code]);
}
