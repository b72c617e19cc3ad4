/**
 * Predictions with reasons from the tenant's active model of a kind: what the scoring engine
 * computes per lead, callable on any feature rows (a what-if, a check after training).
 */
import type { TrainableModelKind } from '../../db/schema';
import { predict, type CsvRow } from '../../intelligence/models';
import { Conflict } from '../../lib/errors';
import type { ServiceContext } from '../context';
import { activeModels } from './active';

export type FeatureValue = string | number | boolean | null;

export async function predictRows(ctx: ServiceContext, kind: TrainableModelKind, rows: ReadonlyArray<Record<string, FeatureValue>>, topReasons: number) {
  const active = (await activeModels(ctx))[kind];
  if (!active) {
    throw new Conflict(`No trained ${kind} model yet: ${kind} scores come from the documented priors. Train one with POST /v1/models/${kind}/train.`, { kind, prior: true });
  }
  return {
    modelVersion: active.versionId,
    version: active.version,
    predictions: rows.map((r) => {
      const p = predict(active.model, toCsvRow(r), { topReasons });
      return { probability: p.probability, reasons: p.reasons };
    }),
  };
}

/** The model was trained on CSV text; give it values the way a CSV would have held them. */
function toCsvRow(r: Record<string, FeatureValue>): CsvRow {
  const row: CsvRow = {};
  for (const [k, v] of Object.entries(r)) row[k] = v === null ? '' : String(v);
  return row;
}
