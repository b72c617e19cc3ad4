/**
 * Names for the generated schemas, plus the messages of the two sockets, which the OpenAPI
 * document cannot describe (GET /v1/realtime and GET /v1/leads/:id/live).
 */
import type { Answer } from './client';
import type { Schemas } from './openapi.gen';

export type Alert = Schemas['Alert'];
export type Lead = Schemas['Lead'];
export type Message = Schemas['Message'];
export type ConsentEvent = Schemas['ConsentEvent'];
// The document marks the User component nullable because GET /me answers `user: null` for API keys.
export type User = NonNullable<Schemas['User']>;
export type ApiKey = Schemas['ApiKey'];
export type AuditEntry = Schemas['AuditEntry'];
export type GhlConnection = Schemas['GhlConnection'];
export type RoutingRules = Schemas['RoutingRules'];
export type RoutingRule = RoutingRules[number];
export type RoutingDecision = Schemas['RoutingDecision'];
export type Tenant = Schemas['Tenant'];
export type Role = User['role'];
export type Me = Answer<'/me', 'get'>;
export type Permission = Me['permissions'][number];

/** The four propensity models a lead is scored by. */
export type ModelKind = 'sell' | 'buy' | 'refinance' | 'invest';
export const MODEL_KINDS: readonly ModelKind[] = ['sell', 'buy', 'refinance', 'invest'];
/** What Admin → Models trains and versions: the propensity models and churn (going cold), as the API names them. */
export type TrainableModelKind = Schemas['Model']['kind'];
export const TRAINABLE_MODEL_KINDS: readonly TrainableModelKind[] = [...MODEL_KINDS, 'churn'];
export const MODEL_KIND_LABEL: Record<TrainableModelKind, string> = { sell: 'Sell', buy: 'Buy', refinance: 'Refinance', invest: 'Invest', churn: 'Churn (going cold)' };

export type LeadScores = Answer<'/leads/{id}/scores', 'get'>;
export type LeadChurn = Schemas['LeadChurn'];
export type Dashboard = Schemas['Dashboard'];

/**
 * A message on GET /v1/realtime (the person's hub): `{ type, id, data, cursor }`; `hello` comes
 * after any replay, with `data.gap` when the replay could not cover everything missed.
 */
export interface RealtimeEvent {
  type: 'hello' | 'alert.created' | 'alert.updated' | 'lead.updated' | 'notification.created' | (string & {});
  id?: string;
  data: unknown;
  cursor?: number;
}

/** A message on GET /v1/leads/:id/live (the lead's conversation room). */
export type LiveEvent =
  | { type: 'hello'; data: { leadId: string } }
  | { type: 'lead.updated'; data: Lead }
  | { type: 'message.created' | 'message.updated'; data: Message };
