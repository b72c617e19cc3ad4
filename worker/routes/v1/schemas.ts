import { z } from '@hono/zod-openapi';
import { API_KEY_SCOPES } from '../../auth/permissions';
import { ROLES } from '../../db/schema';
import { TimeZoneSchema } from '../../services/tenants/settings';

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'validation_failed' }),
      message: z.string(),
      details: z.unknown().optional(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

/** The error answers every authenticated route can give; each route adds its own. */
export const commonErrors = {
  400: { description: 'Malformed request', content: { 'application/json': { schema: ErrorSchema } } },
  401: { description: 'Missing or invalid credentials', content: { 'application/json': { schema: ErrorSchema } } },
  403: { description: 'Authenticated but not allowed', content: { 'application/json': { schema: ErrorSchema } } },
  422: { description: 'Validation failed; details lists field paths', content: { 'application/json': { schema: ErrorSchema } } },
  429: { description: 'Rate limited; see Retry-After', content: { 'application/json': { schema: ErrorSchema } } },
  503: { description: 'A dependency is unavailable; retry', content: { 'application/json': { schema: ErrorSchema } } },
} as const;

export const notFound = { 404: { description: 'Not found (or not yours)', content: { 'application/json': { schema: ErrorSchema } } } } as const;
/** A paid feature's write or action, for a tenant whose plan lacks it (the message names the plan that has it). */
export const planRequired = { 402: { description: "Not in the tenant's plan (plan_feature_required): details name the feature, the plan and the plan that includes it", content: { 'application/json': { schema: ErrorSchema } } } } as const;
export const conflict = { 409: { description: 'Conflicts with existing data', content: { 'application/json': { schema: ErrorSchema } } } } as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const IdParam = (prefix: string) =>
  z.object({ id: z.string().min(1).max(64).regex(/^[a-z]+_[1-9A-HJ-NP-Za-km-z]+$/, 'not a valid id').openapi({ param: { name: 'id', in: 'path' }, example: `${prefix}_1ChHDFAV9aDuq284GjB79b` }) });

export const Email = z.email().max(254).transform((e) => e.trim().toLowerCase());
export const RoleSchema = z.enum(ROLES);
export const ScopeSchema = z.enum(API_KEY_SCOPES);
export const Password = z.string().min(1).max(256);
export const TimeZone = TimeZoneSchema.openapi({ example: 'America/Chicago' });

const hhmm = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'use 24-hour HH:MM');
export const WorkingHoursSchema = z
  .record(z.string().regex(/^(mon|tue|wed|thu|fri|sat|sun)$/, 'use mon…sun'), z.array(z.tuple([hhmm, hhmm])).max(4))
  .openapi({ example: { mon: [['08:00', '18:00']], sat: [['10:00', '14:00']] } });

export const UserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    territories: z.array(z.string()),
    skills: z.array(z.string()),
    capacity: z.number().int(),
    workingHours: WorkingHoursSchema.nullable(),
    paused: z.boolean(),
    lastLoginAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('User');

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

export const TenantSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    timezone: z.string(),
    settings: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Tenant');

/** Dates → ISO strings for JSON answers. */
export function serialize<T>(value: T): Serialized<T> {
  return JSON.parse(JSON.stringify(value)) as Serialized<T>;
}
export type Serialized<T> = T extends Date ? string : T extends object ? { [K in keyof T]: Serialized<T[K]> } : T;
