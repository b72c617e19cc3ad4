import { z } from 'zod';

export const ROUTABLE_KINDS = ['sell', 'buy', 'refinance', 'invest', 'hot_lead', 'human_requested', 'churn_risk'] as const;

/**
 * One routing rule: when an alert matches `when`, pick from `pool` by `strategy`; the first
 * matching rule (in order) decides. `slaMinutes` is how long the chosen agent has to
 * acknowledge before the ladder moves on.
 */
export const RoutingRuleSchema = z.object({
  id: z.string().min(1).max(40).regex(/^[a-z0-9_-]+$/, 'lower-case letters, digits, _ and -'),
  name: z.string().min(1).max(80),
  when: z
    .object({
      kinds: z.array(z.enum(ROUTABLE_KINDS)).max(10).optional(),
      /** ZIP prefixes ("787" matches 78701…78799). */
      zipPrefixes: z.array(z.string().regex(/^\d{1,5}$/, '1–5 digits')).max(200).optional(),
      temperatures: z.array(z.enum(['hot', 'warm', 'cold'])).max(3).optional(),
      minProbability: z.number().min(0).max(1).optional(),
    })
    .default({}),
  pool: z
    .object({
      /** Explicit agents; otherwise every active agent. */
      agentIds: z.array(z.string().min(1).max(64)).max(500).optional(),
      /** Agents having every one of these skills (seller, buyer, luxury, investor, spanish…). */
      skills: z.array(z.string().min(1).max(40)).max(10).optional(),
      /** Prefer agents whose territories cover the lead's ZIP/city/state. */
      preferTerritory: z.boolean().default(true),
    })
    .default({ preferTerritory: true }),
  strategy: z.enum(['least_loaded', 'round_robin', 'broadcast']),
  slaMinutes: z.number().int().min(1).max(24 * 60).default(10),
});

export type RoutingRule = z.infer<typeof RoutingRuleSchema>;

export const RoutingRulesSchema = z
  .array(RoutingRuleSchema)
  .max(50)
  .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, { message: 'rule ids must be unique' });

/** When no rule matches: the least-loaded active agent, territory first, 10-minute SLA. */
export const DEFAULT_RULE: RoutingRule = {
  id: 'default',
  name: 'Everyone, least loaded first',
  when: {},
  pool: { preferTerritory: true },
  strategy: 'least_loaded',
  slaMinutes: 10,
};
