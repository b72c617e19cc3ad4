/**
 * The tenant's active model per kind, ready to score, for the scoring engine, the churn job and
 * predictions.
 * Loading a model means parsing and validating its JSON and compiling its encoder, so the result
 * is cached per isolate for a short while: an activation in this isolate clears it at once,
 * other isolates pick the change up within ACTIVE_MODELS_TTL_MS.
 */
import { and, eq } from 'drizzle-orm';
import { modelVersions, type TrainableModelKind } from '../../db/schema';
import { compileScorer, loadModel, type CsvRow, type ScoringModel } from '../../intelligence/models';
import type { ServiceContext } from '../context';

export const ACTIVE_MODELS_TTL_MS = 30_000;

export interface ActiveModel {
  versionId: string;
  version: number;
  model: ScoringModel;
  /** Calibrated probability for one feature row (no reasons; use predict() for those). */
  scorer: (row: CsvRow) => number;
}

export type ActiveModels = Partial<Record<TrainableModelKind, ActiveModel>>;

const cache = new Map<string, { loadedAt: number; models: Promise<ActiveModels> }>();

export function activeModels(ctx: ServiceContext): Promise<ActiveModels> {
  const hit = cache.get(ctx.tenantId);
  if (hit && Date.now() - hit.loadedAt < ACTIVE_MODELS_TTL_MS) return hit.models;
  const models = loadActiveModels(ctx);
  const entry = { loadedAt: Date.now(), models };
  cache.set(ctx.tenantId, entry);
  // A failed load (database hiccup) must not be served from the cache for the next 30 s.
  models.catch(() => {
    if (cache.get(ctx.tenantId) === entry) cache.delete(ctx.tenantId);
  });
  return models;
}

/** Called after an activation so this isolate scores with the new version from the next call. */
export function invalidateActiveModels(tenantId: string): void {
  cache.delete(tenantId);
}

async function loadActiveModels(ctx: ServiceContext): Promise<ActiveModels> {
  const rows = await ctx.db
    .select({ id: modelVersions.id, kind: modelVersions.kind, version: modelVersions.version, model: modelVersions.model })
    .from(modelVersions)
    .where(and(eq(modelVersions.tenantId, ctx.tenantId), eq(modelVersions.status, 'active')));
  const out: ActiveModels = {};
  for (const row of rows) {
    try {
      const model = loadModel(row.model);
      out[row.kind] = { versionId: row.id, version: row.version, model, scorer: compileScorer(model) };
    } catch (err) {
      // A stored model that does not load leaves its kind on the priors rather than failing all scoring.
      ctx.logger.error('active model does not load', { versionId: row.id, kind: row.kind, error: err });
    }
  }
  return out;
}
