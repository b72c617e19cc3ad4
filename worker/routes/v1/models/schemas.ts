import { z } from '@hono/zod-openapi';
import { MODEL_VERSION_STATUSES, TRAINABLE_MODEL_KINDS, TRAINING_STATUSES } from '../../../db/schema';

export const KindParam = z.object({
  kind: z.enum(TRAINABLE_MODEL_KINDS).openapi({ param: { name: 'kind', in: 'path' }, example: 'sell', description: 'sell | buy | refinance | invest | churn (the going-cold risk of /jobs/churn; its label is the lead not being saved)' }),
});

const rate = z.number().nullable();

export const MetricsSchema = z
  .object({
    auc: rate.openapi({ description: 'Cross-validated ROC AUC' }),
    brier: rate,
    ece: rate.openapi({ description: 'Expected calibration error (10 bins)' }),
    accuracy: rate,
    logLoss: rate.optional(),
    precisionAtThreshold: rate.openapi({
      description: "Of the rows scored at or above the tenant's threshold, the share with label 1 (converted; for churn, not saved); null when none reach it",
    }),
    threshold: z.number().openapi({ description: "The tenant's alertThreshold (for churn: churn.riskThreshold) when the model was trained" }),
    folds: z.number().int(),
    n: z.number().int().openapi({ description: 'Rows trained on' }),
    positives: z.number().int().openapi({ description: 'Of which label 1 (converted; for churn, not saved)' }),
  })
  .openapi('ModelMetrics');

export const BadRowSchema = z.object({ line: z.number().int().openapi({ description: '1-based line in the uploaded file' }), message: z.string() });

export const VersionSchema = z
  .object({
    id: z.string(),
    kind: z.enum(TRAINABLE_MODEL_KINDS),
    version: z.number().int(),
    status: z.enum(MODEL_VERSION_STATUSES),
    learner: z.string().openapi({ description: 'logistic | gbt | blend (chosen by cross-validated log-loss)' }),
    source: z.enum(['csv', 'outcomes']),
    metrics: MetricsSchema,
    features: z.array(z.string()).openapi({ description: 'Source columns the model reads' }),
    trainingId: z.string().nullable(),
    decision: z.string().nullable().openapi({ description: 'Why it is (not) the active version' }),
    createdBy: z.string().nullable(),
    activatedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('ModelVersion');

export const TrainingStatusSchema = z.enum(TRAINING_STATUSES);
