import type { Role } from '../db/schema';

/**
 * The one permission matrix. Routes name the permission they need; roles and API-key scopes
 * map to sets of permissions. Row-level reach (an agent sees their own and unassigned leads) is
 * applied by the services on top of this.
 */
export const PERMISSIONS = [
  'tenant:read',
  'tenant:write',
  'users:read',
  'users:write',
  'api_keys:read',
  'api_keys:write',
  'audit:read',
  'leads:read',
  'leads:write',
  'alerts:read',
  'alerts:write',
  'events:write',
  'analytics:read',
  'integrations:write',
  'routing:write',
  'models:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ALL = new Set<Permission>(PERMISSIONS);
const READ_ONLY: Permission[] = ['tenant:read', 'users:read', 'leads:read', 'alerts:read', 'analytics:read'];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  owner: ALL,
  admin: ALL,
  manager: new Set<Permission>([...READ_ONLY, 'leads:write', 'alerts:write', 'events:write', 'routing:write', 'audit:read']),
  agent: new Set<Permission>(['tenant:read', 'users:read', 'leads:read', 'leads:write', 'alerts:read', 'alerts:write']),
  viewer: new Set<Permission>(READ_ONLY),
};

/** What a role may grant: nobody creates a user (or a key) more powerful than themselves. */
export const ROLE_RANK: Record<Role, number> = { owner: 5, admin: 4, manager: 3, agent: 2, viewer: 1 };

export const API_KEY_SCOPES = ['admin', 'read', 'events:write', 'leads:read', 'leads:write', 'alerts:read', 'alerts:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const SCOPE_PERMISSIONS: Record<ApiKeyScope, Permission[]> = {
  // An admin key can do what an admin can, except manage API keys (a leaked key must not mint more).
  admin: PERMISSIONS.filter((p) => p !== 'api_keys:write'),
  read: READ_ONLY,
  'events:write': ['events:write'],
  'leads:read': ['leads:read'],
  'leads:write': ['leads:read', 'leads:write'],
  'alerts:read': ['alerts:read'],
  'alerts:write': ['alerts:read', 'alerts:write'],
};

export function permissionsForScopes(scopes: readonly string[]): ReadonlySet<Permission> {
  const out = new Set<Permission>();
  for (const scope of scopes) for (const p of SCOPE_PERMISSIONS[scope as ApiKeyScope] ?? []) out.add(p);
  return out;
}
