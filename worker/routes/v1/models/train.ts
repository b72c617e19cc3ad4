import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { HonoEnv } from '../../../env';
import { BadRequest, fieldIssues, ServiceError, ValidationFailed } from '../../../lib/errors';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { requirePlanFeature } from '../../../services/billing/billing';
import { enqueueCsvTraining, MAX_CSV_BYTES, MAX_RUNNING_TRAININGS, trainFromCsv } from '../../../services/models/trainings';
import { commonErrors, ErrorSchema, json, planRequired } from '../schemas';
import { BadRowSchema, KindParam, MetricsSchema } from './schemas';

const MB = MAX_CSV_BYTES / (1024 * 1024);

const noNul = (s: string) => !s.includes('\u0000');

const Query = z.object({
  label: z.string().trim().min(1).max(200).refine(noNul, 'no NUL characters').openapi({ description: 'The outcome column: 1/0, yes/no or true/false per row', example: 'Converted' }),
  exclude: z
    .string()
    .max(4000)
    .optional()
    .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(200).refine(noNul, 'no NUL characters')).max(200))
    .openapi({ type: 'string', description: 'Comma-separated columns never used as features (ids, fields that leak the outcome); `Prefix *` globs allowed', example: 'Lead Id,Tags' }),
  wait: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1')
    .openapi({ type: 'string', description: 'true: train in this request and answer with the result; false: 202 at once, follow GET /v1/models/trainings/{id}' }),
});

const Outcome = z
  .object({
    trainingId: z.string(),
    modelVersion: z.string().openapi({ description: 'The stored version id (mdl_…)' }),
    version: z.number().int(),
    status: z.enum(['active', 'rejected']),
    metrics: MetricsSchema,
    decision: z.string(),
    badRows: z.array(BadRowSchema).openapi({ description: `Rows left out, with their line numbers (the first 200)` }),
    badRowCount: z.number().int(),
  })
  .openapi('TrainingResult');

const route = defineRoute('models:write', {
  method: 'post',
  path: '/models/{kind}/train',
  tags: ['Models'],
  summary: 'Train a model from a CSV of historical leads with outcomes',
  description:
    `The body is the CSV (text/csv), or multipart/form-data with the CSV in a \`file\` field; at most ${MB} MB. ` +
    'Metrics are 5-fold cross-validated. The new version becomes active unless its AUC is more than 0.005 below the active version scored on the same rows, in which case it is stored as rejected. ' +
    'Columns naming a protected class (Fair Housing) are refused. Rows that cannot be used are listed with their line numbers.',
  middleware: [
    bodyLimit({
      maxSize: MAX_CSV_BYTES,
      onError: () => {
        throw new ServiceError('payload_too_large', `CSV uploads are limited to ${MB} MB; split the file or leave out columns`);
      },
    }),
  ],
  request: {
    params: KindParam,
    query: Query,
    body: {
      required: true,
      content: {
        'text/csv': { schema: { type: 'string' } },
        'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } },
      },
    },
  },
  responses: {
    200: json(Outcome, 'Trained (wait=true): the stored version, active or rejected, and why'),
    202: json(z.object({ trainingId: z.string(), status: z.literal('queued') }), 'Queued (wait=false)'),
    ...commonErrors,
    ...planRequired,
    429: { description: `Too many runs in progress (at most ${MAX_RUNNING_TRAININGS}), or rate limited; see Retry-After`, content: { 'application/json': { schema: ErrorSchema } } },
    413: { description: `Body above ${MB} MB`, content: { 'application/json': { schema: ErrorSchema } } },
    415: { description: 'Not text/csv or multipart/form-data', content: { 'application/json': { schema: ErrorSchema } } },
  },
});

const Upload = z.object({ file: z.union([z.instanceof(File), z.string()], { error: 'attach the CSV as a file field named "file"' }) });

/** The CSV text from either body form; every other media type is refused. */
async function csvBody(c: Context<HonoEnv>): Promise<string> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv' || type === 'text/plain' || type === 'application/csv') return c.req.text();
  if (type === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await c.req.formData();
    } catch {
      throw new BadRequest('The multipart body cannot be read');
    }
    const upload = Upload.safeParse({ file: form.get('file') ?? undefined });
    if (!upload.success) throw new ValidationFailed('The upload has no CSV file', fieldIssues(upload.error.issues));
    return typeof upload.data.file === 'string' ? upload.data.file : upload.data.file.text();
  }
  throw new ServiceError('unsupported_media_type', 'Send the CSV as text/csv, or as multipart/form-data with a "file" field');
}

export const trainModelRoute = newRouter().openapi(route, async (c) => {
  await requirePlanFeature(serviceContext(c), 'scoring_models'); // before the CSV is read (a route middleware beside bodyLimit types the handler's env as never)
  const { kind } = c.req.valid('param');
  const { label, exclude, wait } = c.req.valid('query');
  const input = { kind, label, exclude, csv: await csvBody(c) };
  const ctx = serviceContext(c);
  if (!wait) {
    const queued = await enqueueCsvTraining(ctx, input, c.var.services.qstash);
    c.header('Location', `/v1/models/trainings/${queued.trainingId}`);
    return c.json(queued, 202);
  }
  return c.json(await trainFromCsv(ctx, input), 200);
});
