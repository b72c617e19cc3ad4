import type { Role } from '../db/schema';
import type { Permission } from './permissions';

/** Who is calling, resolved once per request by the authenticate middleware. */
export type Principal =
  | { kind: 'user'; tenantId: string; userId: string; role: Role; familyId?: string; permissions: ReadonlySet<Permission> }
  | { kind: 'api_key'; tenantId: string; apiKeyId: string; scopes: string[]; permissions: ReadonlySet<Permission> };

export interface Actor {
  type: 'user' | 'api_key' | 'platform' | 'system' | 'anonymous';
  id: string | null;
}

export function actorOf(p: Principal): Actor {
  return p.kind === 'user' ? { type: 'user', id: p.userId } : { type: 'api_key', id: p.apiKeyId };
}
