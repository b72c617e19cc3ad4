import { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { SCRIPT_KEYS } from '../../../assistant/scripts';
import { EXPERIMENT_LEVERS, EXPERIMENT_STATUSES } from '../../../db/schema';
import { RoutingRuleSchema } from '../../../intelligence/routing/rules';
import { defineRoute, newRouter, serviceContext } from '../../../lib/router';
import { requiresPlanFeature } from '../../../middleware/plan';
import {
  ALERT_CONVERTED,
  createExperiment,
  experimentResults,
  exposeUnitById,
  LEAD_QUALIFIED,
  listExperiments,
  recordConversionById,
  startExperiment,
  stopExperiment,
  type ExperimentRow,
} from '../../../services/experiments/experiments';
import { commonErrors, conflict, IdParam, json, jsonBody, notFound, planRequired } from '../schemas';

const Slug = z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'use 1–64 lowercase letters, digits, _ . -');
const Unit = z.string().trim().min(1).max(128).openapi({ description: 'What is assigned: usually a lead id', example: 'lead_1ChHDFAV9aDuq284GjB79b' });

/** Each lever takes its own configuration; a variant of one lever cannot carry another's. */
const LeverConfigs = {
  assistant_script: z
    .object({
      scriptVariant: z.enum(SCRIPT_KEYS).openapi({
        description: 'The wording the seller assistant uses for the lead (opening and questions): standard (the tenant\'s templates, the usual control), direct (short and plain), consultative (says why each question helps)',
      }),
    })
    .strict(),
  follow_up_cadence: z.object({ cadenceMinutes: z.array(z.number().int().min(5).max(60 * 24 * 30)).min(1).max(6) }).strict(),
  routing_strategy: z
    .object({ strategy: z.enum(RoutingRuleSchema.shape.strategy.options).openapi({ description: "Replaces the strategy of whichever routing rule matches the lead's alerts" }) })
    .strict(),
} as const;

const variantsOf = <C extends z.ZodType>(config: C) =>
  z
    .array(z.object({ key: Slug, weight: z.number().min(0).max(10_000), config }))
    .min(2)
    .max(10)
    .superRefine((vs, rc) => {
      if (!(vs.reduce((s, v) => s + v.weight, 0) > 0)) rc.addIssue({ code: 'custom', message: 'weights must sum to more than 0' });
      const seen = new Set<string>();
      vs.forEach((v, i) => {
        if (seen.has(v.key)) rc.addIssue({ code: 'custom', path: [i, 'key'], message: 'variant keys must be unique' });
        seen.add(v.key);
      });
    });

const common = {
  key: Slug.openapi({ example: 'cadence-fast-vs-slow' }),
  name: z.string().trim().min(1).max(200),
  conversionEvent: Slug.default(LEAD_QUALIFIED).openapi({
    description: `What counts as a conversion: ${LEAD_QUALIFIED} (the default, recorded by the assistant when a lead qualifies), ${ALERT_CONVERTED} (recorded when an alert about the lead gets the outcome converted: the natural goal of a routing_strategy experiment), or any event an outside system posts to /conversions`,
  }),
};

const CreateBody = z.discriminatedUnion('lever', [
  z.object({ ...common, lever: z.literal('assistant_script'), variants: variantsOf(LeverConfigs.assistant_script) }),
  z.object({ ...common, lever: z.literal('follow_up_cadence'), variants: variantsOf(LeverConfigs.follow_up_cadence) }),
  z.object({ ...common, lever: z.literal('routing_strategy'), variants: variantsOf(LeverConfigs.routing_strategy) }),
]);

const Interval = z.object({ low: z.number(), high: z.number() });
const ExperimentSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    name: z.string(),
    lever: z.enum(EXPERIMENT_LEVERS),
    variants: z.array(z.object({ key: z.string(), weight: z.number(), config: z.record(z.string(), z.unknown()) })).openapi({ description: 'The first variant is the control' }),
    conversionEvent: z.string(),
    status: z.enum(EXPERIMENT_STATUSES),
    startedAt: z.string().nullable(),
    stoppedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('Experiment');

const ReportSchema = z
  .object({
    arms: z.array(
      z.object({
        key: z.string(),
        weight: z.number(),
        exposures: z.number().int(),
        conversions: z.number().int(),
        conversionRate: z.number().nullable(),
        rateInterval: Interval.nullable().openapi({ description: 'Wilson 95 % interval of the rate' }),
        vsControl: z
          .object({
            absoluteLift: z.number().nullable().openapi({ description: 'Rate minus control rate' }),
            relativeLift: z.number().nullable().openapi({ description: '(rate − control) / control; null when control is 0' }),
            interval95: Interval.nullable().openapi({ description: 'Newcombe hybrid score 95 % interval of the absolute lift' }),
            z: z.number().nullable(),
            pValue: z.number().nullable().openapi({ description: 'Two-sided pooled two-proportion z-test' }),
            verdict: z.string().openapi({ example: 'not significant yet' }),
            note: z.string().nullable(),
          })
          .nullable()
          .openapi({ description: 'Null for the control arm' }),
      }),
    ),
    sampleRatio: z.object({
      chiSquare: z.number(),
      degreesOfFreedom: z.number().int(),
      pValue: z.number(),
      mismatch: z.boolean().openapi({ description: 'Exposures do not match the weights (p < 0.001)' }),
      expected: z.record(z.string(), z.number()),
      note: z.string().nullable(),
    }),
    verdict: z.string().openapi({ description: '"significant at 95 %" when any arm beats or trails control significantly, else "not significant yet"' }),
    minimumSample: z.string(),
  })
  .openapi('ExperimentReport');

function experimentView(e: ExperimentRow) {
  return {
    id: e.id,
    key: e.key,
    name: e.name,
    lever: e.lever,
    variants: e.variants,
    conversionEvent: e.conversionEvent,
    status: e.status,
    startedAt: e.startedAt?.toISOString() ?? null,
    stoppedAt: e.stoppedAt?.toISOString() ?? null,
    createdAt: e.createdAt.toISOString(),
  };
}

const one = z.object({ experiment: ExperimentSchema });

const create = defineRoute('tenant:write', {
  method: 'post',
  path: '/experiments',
  tags: ['Experiments'],
  summary: 'Create an experiment (draft) on a lever, with weighted variants; the first variant is the control',
  middleware: [requiresPlanFeature('experiments')],
  request: { body: jsonBody(CreateBody) },
  responses: { 201: json(one, 'The experiment, as a draft'), ...commonErrors, ...conflict, ...planRequired },
});

const list = defineRoute('tenant:read', {
  method: 'get',
  path: '/experiments',
  tags: ['Experiments'],
  summary: 'Experiments, newest first',
  responses: { 200: json(z.object({ experiments: z.array(ExperimentSchema) }), 'Experiments'), ...commonErrors },
});

const get = defineRoute('tenant:read', {
  method: 'get',
  path: '/experiments/{id}',
  tags: ['Experiments'],
  summary: 'An experiment with its results: per-variant conversion, lift vs control, 95 % interval, z-test, sample-ratio check',
  request: { params: IdParam('exp') },
  responses: { 200: json(z.object({ experiment: ExperimentSchema, report: ReportSchema }), 'Experiment and report'), ...commonErrors, ...notFound },
});

const transition = (verb: 'start' | 'stop', summary: string, middleware: MiddlewareHandler[] = []) =>
  defineRoute('tenant:write', {
    method: 'post',
    path: `/experiments/{id}/${verb}`,
    middleware,
    tags: ['Experiments'],
    summary,
    request: { params: IdParam('exp') },
    responses: { 200: json(one, 'The experiment after the transition'), ...commonErrors, ...notFound, ...conflict, ...(middleware.length ? planRequired : {}) },
  });
const start = transition('start', 'Start a draft (one running experiment per lever)', [requiresPlanFeature('experiments')]);
const stop = transition('stop', 'Stop a running experiment (its results stay; late conversions of exposed units still count)');

const expose = defineRoute('leads:write', {
  method: 'post',
  path: '/experiments/{id}/exposures',
  tags: ['Experiments'],
  summary: "Expose a unit (from outside): its variant and configuration; the first exposure is recorded and sticks",
  request: { params: IdParam('exp'), body: jsonBody(z.object({ unit: Unit })) },
  responses: {
    200: json(z.object({ variant: z.string(), config: z.record(z.string(), z.unknown()) }), 'The variant the unit gets'),
    ...commonErrors,
    ...notFound,
    ...conflict,
  },
});

const convert = defineRoute('leads:write', {
  method: 'post',
  path: '/experiments/{id}/conversions',
  tags: ['Experiments'],
  summary: 'Record a conversion for an exposed unit (once per unit and event)',
  request: { params: IdParam('exp'), body: jsonBody(z.object({ unit: Unit, event: Slug.optional().openapi({ description: "Defaults to the experiment's conversion event" }) })) },
  responses: {
    200: json(
      z.object({
        recorded: z.boolean().openapi({ description: 'False when already recorded, or the unit was never exposed, or the event is not the one this experiment counts' }),
        event: z.string(),
        counted: z.boolean().openapi({ description: "Whether this event is the experiment's conversion event" }),
      }),
      'What was recorded',
    ),
    ...commonErrors,
    ...notFound,
  },
});

export const experimentRoutes = newRouter()
  .openapi(create, async (c) => c.json({ experiment: experimentView(await createExperiment(serviceContext(c), c.req.valid('json'))) }, 201))
  .openapi(list, async (c) => c.json({ experiments: (await listExperiments(serviceContext(c))).map(experimentView) }, 200))
  .openapi(get, async (c) => {
    const { experiment, report } = await experimentResults(serviceContext(c), c.req.valid('param').id);
    return c.json({ experiment: experimentView(experiment), report }, 200);
  })
  .openapi(start, async (c) => c.json({ experiment: experimentView(await startExperiment(serviceContext(c), c.req.valid('param').id)) }, 200))
  .openapi(stop, async (c) => c.json({ experiment: experimentView(await stopExperiment(serviceContext(c), c.req.valid('param').id)) }, 200))
  .openapi(expose, async (c) => {
    const { variant, config } = await exposeUnitById(serviceContext(c), c.req.valid('param').id, c.req.valid('json').unit);
    return c.json({ variant, config }, 200);
  })
  .openapi(convert, async (c) => {
    const body = c.req.valid('json');
    return c.json(await recordConversionById(serviceContext(c), c.req.valid('param').id, body.unit, body.event), 200);
  });
