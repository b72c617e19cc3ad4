'use client';

import { useState, type FormEvent } from 'react';
import { Badge, Button, Dialog, EmptyState, Field, Input, Loading, Notice, PageHeader, ResourceView, Select, Toggle } from '../../../components/ui';
import type { Body } from '../../../lib/api/client';
import type { Role, User } from '../../../lib/api/types';
import { ago, humanize } from '../../../lib/format';
import { session } from '../../../lib/session';
import { useAction } from '../../../lib/use-action';
import { useResource } from '../../../lib/use-resource';
import { useSession } from '../../../lib/use-session';
import { forgetTeam } from '../../../lib/use-team';
import { AdminNav } from '../admin-nav';

const ROLES: Role[] = ['owner', 'admin', 'manager', 'agent', 'viewer'];
const RANK: Record<Role, number> = { owner: 5, admin: 4, manager: 3, agent: 2, viewer: 1 };
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Hours = NonNullable<User['workingHours']>;

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** "08:00-12:00, 13:00-18:00" ⇄ [["08:00","12:00"],["13:00","18:00"]] */
function windowsText(w: Array<[string, string]> | undefined): string {
  return (w ?? []).map(([a, b]) => `${a}-${b}`).join(', ');
}
function parseWindows(text: string): Array<[string, string]> | 'invalid' {
  const out: Array<[string, string]> = [];
  for (const part of list(text)) {
    const m = part.match(/^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/);
    if (!m) return 'invalid';
    out.push([m[1]!.padStart(5, '0'), m[2]!.padStart(5, '0')]);
  }
  return out;
}

function hoursSummary(h: User['workingHours']): string {
  if (!h || Object.keys(h).length === 0) return 'Any time';
  return DAYS.filter((d) => h[d]?.length)
    .map((d) => `${d.slice(0, 2)} ${windowsText(h[d])}`)
    .join(' · ');
}

export function UsersAdmin() {
  const { me } = useSession();
  const users = useResource(async () => (await session().api.get('/users')).users.filter((u): u is User => !!u), []);
  const [editing, setEditing] = useState<User | 'new' | null>(null);
  const [removing, setRemoving] = useState<User | null>(null);
  const myRank = RANK[me?.user?.role ?? 'viewer'];

  const saved = (u: User) => {
    forgetTeam();
    users.setData((list) => {
      const rest = (list ?? []).filter((x) => x.id !== u.id);
      return [...rest, u].sort((a, b) => a.name.localeCompare(b.name));
    });
    setEditing(null);
  };

  return (
    <div data-screen-ready={users.status !== 'loading' ? 'true' : undefined}>
      <PageHeader
        title="Team"
        subtitle="Roles, territories, skills, capacity and working hours decide who gets which lead."
        actions={
          <Button variant="primary" onClick={() => setEditing('new')}>
            Add member
          </Button>
        }
      />
      <AdminNav />
      <ResourceView resource={users} loading={<Loading rows={4} rowClass="h-16" />} isEmpty={(l) => l.length === 0} empty={<EmptyState title="No team members yet" />}>
        {(team) => (
          <>
            {/* Phones: one card per person. */}
            <ul className="space-y-3 md:hidden">
              {team.map((u) => (
                <li key={u.id} className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                  <div className="flex items-start justify-between gap-2">
                    <div className="min-w-0">
                      <p className="truncate font-semibold">{u.name}</p>
                      <p className="truncate text-sm text-slate-600">{u.email}</p>
                    </div>
                    <div className="flex shrink-0 gap-1">
                      <Badge tone="indigo">{u.role}</Badge>
                      {u.paused && <Badge tone="amber">Paused</Badge>}
                    </div>
                  </div>
                  <dl className="mt-2 grid grid-cols-2 gap-2 text-sm">
                    <div>
                      <dt className="text-xs text-slate-600">Territories</dt>
                      <dd className="break-words">{u.territories.join(', ') || '—'}</dd>
                    </div>
                    <div>
                      <dt className="text-xs text-slate-600">Skills</dt>
                      <dd className="break-words">{u.skills.join(', ') || '—'}</dd>
                    </div>
                    <div>
                      <dt className="text-xs text-slate-600">Capacity</dt>
                      <dd>{u.capacity} open leads</dd>
                    </div>
                    <div>
                      <dt className="text-xs text-slate-600">Hours</dt>
                      <dd className="break-words">{hoursSummary(u.workingHours)}</dd>
                    </div>
                  </dl>
                  {RANK[u.role] <= myRank && (
                    <div className="mt-3 flex gap-2">
                      <Button size="sm" className="flex-1" onClick={() => setEditing(u)}>
                        Edit
                      </Button>
                      {u.id !== me?.user?.id && (
                        <Button size="sm" variant="danger" className="flex-1" onClick={() => setRemoving(u)}>
                          Remove
                        </Button>
                      )}
                    </div>
                  )}
                </li>
              ))}
            </ul>
            <div className="hidden overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm md:block">
              <table className="w-full text-sm" data-testid="users-table">
                <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="px-4 py-2.5 font-semibold">Member</th>
                    <th scope="col" className="px-3 py-2.5 font-semibold">Role</th>
                    <th scope="col" className="px-3 py-2.5 font-semibold">Territories</th>
                    <th scope="col" className="px-3 py-2.5 font-semibold">Skills</th>
                    <th scope="col" className="px-3 py-2.5 text-right font-semibold">Capacity</th>
                    <th scope="col" className="px-3 py-2.5 font-semibold">Hours</th>
                    <th scope="col" className="px-3 py-2.5 font-semibold">Last sign-in</th>
                    <th scope="col" className="px-4 py-2.5 text-right font-semibold">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {team.map((u) => (
                    <tr key={u.id} className="align-top">
                      <td className="px-4 py-3">
                        <p className="font-semibold">{u.name}</p>
                        <p className="text-slate-600">{u.email}</p>
                      </td>
                      <td className="px-3 py-3">
                        <div className="flex flex-wrap gap-1">
                          <Badge tone="indigo">{u.role}</Badge>
                          {u.paused && <Badge tone="amber">Paused</Badge>}
                        </div>
                      </td>
                      <td className="max-w-40 px-3 py-3 break-words">{u.territories.join(', ') || '—'}</td>
                      <td className="max-w-40 px-3 py-3 break-words">{u.skills.join(', ') || '—'}</td>
                      <td className="px-3 py-3 text-right tabular-nums">{u.capacity}</td>
                      <td className="max-w-48 px-3 py-3 text-slate-700">{hoursSummary(u.workingHours)}</td>
                      <td className="px-3 py-3 whitespace-nowrap text-slate-600">{u.lastLoginAt ? ago(u.lastLoginAt) : 'never'}</td>
                      <td className="px-4 py-3 text-right whitespace-nowrap">
                        {RANK[u.role] <= myRank && (
                          <>
                            <Button size="sm" variant="ghost" onClick={() => setEditing(u)} aria-label={`Edit ${u.name}`}>
                              Edit
                            </Button>
                            {u.id !== me?.user?.id && (
                              <Button size="sm" variant="dangerGhost" onClick={() => setRemoving(u)} aria-label={`Remove ${u.name}`}>
                                Remove
                              </Button>
                            )}
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </ResourceView>
      <Dialog open={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? 'Add a team member' : `Edit ${editing?.name ?? ''}`} wide>
        {editing !== null && <UserForm user={editing === 'new' ? null : editing} maxRank={myRank} onSaved={saved} onCancel={() => setEditing(null)} />}
      </Dialog>
      <Dialog open={removing !== null} onClose={() => setRemoving(null)} title={`Remove ${removing?.name ?? ''}?`}>
        {removing && (
          <RemoveUser
            user={removing}
            onDone={() => {
              forgetTeam();
              users.setData((l) => l?.filter((u) => u.id !== removing.id));
              setRemoving(null);
            }}
            onCancel={() => setRemoving(null)}
          />
        )}
      </Dialog>
    </div>
  );
}

function RemoveUser({ user, onDone, onCancel }: { user: User; onDone: () => void; onCancel: () => void }) {
  const { busy, error, run } = useAction(async () => {
    await session().api.delete('/users/{id}', { path: { id: user.id } });
    onDone();
  });
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">Their sign-ins end at once. Leads, messages and history they worked on stay.</p>
      {error && <Notice tone="error">{error}</Notice>}
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant="danger" busy={busy} onClick={() => void run()}>
          Remove
        </Button>
      </div>
    </div>
  );
}

function UserForm({ user, maxRank, onSaved, onCancel }: { user: User | null; maxRank: number; onSaved: (u: User) => void; onCancel: () => void }) {
  const [name, setName] = useState(user?.name ?? '');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>(user?.role ?? 'agent');
  const [territories, setTerritories] = useState(user?.territories.join(', ') ?? '');
  const [skills, setSkills] = useState(user?.skills.join(', ') ?? '');
  const [capacity, setCapacity] = useState(String(user?.capacity ?? 10));
  const [paused, setPaused] = useState(user?.paused ?? false);
  const [hours, setHours] = useState<Record<string, string>>(() => Object.fromEntries(DAYS.map((d) => [d, windowsText(user?.workingHours?.[d])])));
  const save = useAction(async (body: Omit<Body<'/users', 'post'>, 'email' | 'password'>) => {
    const saved = user ? await session().api.patch('/users/{id}', { path: { id: user.id }, body }) : await session().api.post('/users', { body: { ...body, email: email.trim(), password } });
    onSaved(saved as User);
  });
  const { busy, error, fields } = save;

  function submit(e: FormEvent) {
    e.preventDefault();
    const workingHours: Hours = {};
    const bad: Record<string, string> = {};
    for (const d of DAYS) {
      const w = parseWindows(hours[d] ?? '');
      if (w === 'invalid') bad[`workingHours.${d}`] = 'Use HH:MM-HH:MM, separated by commas';
      else if (w.length) workingHours[d] = w;
    }
    if (Object.keys(bad).length) return save.setFields(bad);
    void save.run({
      name: name.trim(),
      role,
      territories: list(territories),
      skills: list(skills),
      capacity: Number(capacity),
      paused,
      workingHours: Object.keys(workingHours).length ? workingHours : null,
    });
  }

  const fe = (path: string) => fields[path];
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Name" htmlFor="u-name" error={fe('name')}>
          <Input id="u-name" value={name} onChange={(e) => setName(e.target.value)} required invalid={!!fe('name')} />
        </Field>
        <Field label="Role" htmlFor="u-role" error={fe('role')} hint="Nobody can grant a role above their own.">
          <Select id="u-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.filter((r) => RANK[r] <= maxRank).map((r) => (
              <option key={r} value={r}>
                {humanize(r)}
              </option>
            ))}
          </Select>
        </Field>
        {!user && (
          <>
            <Field label="Email" htmlFor="u-email" error={fe('email')}>
              <Input id="u-email" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} required invalid={!!fe('email')} />
            </Field>
            <Field label="First password" htmlFor="u-password" error={fe('password')} hint="12+ characters, not a common password.">
              <Input id="u-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required invalid={!!fe('password')} />
            </Field>
          </>
        )}
        <Field label="Territories" htmlFor="u-territories" hint="ZIP codes or prefixes, cities, states — comma separated" error={fe('territories')}>
          <Input id="u-territories" value={territories} onChange={(e) => setTerritories(e.target.value)} placeholder="787, 78701, Austin" />
        </Field>
        <Field label="Skills" htmlFor="u-skills" hint="e.g. seller, buyer, luxury, investor, spanish" error={fe('skills')}>
          <Input id="u-skills" value={skills} onChange={(e) => setSkills(e.target.value)} />
        </Field>
        <Field label="Capacity" htmlFor="u-capacity" hint="Open leads this person can carry" error={fe('capacity')}>
          <Input id="u-capacity" type="number" min={0} max={1000} inputMode="numeric" value={capacity} onChange={(e) => setCapacity(e.target.value)} invalid={!!fe('capacity')} />
        </Field>
        <div className="self-end pb-1">
          <Toggle id="u-paused" label="Paused" description="Gets no new leads or alerts while paused" checked={paused} onChange={setPaused} />
        </div>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-800">Working hours (tenant time zone)</legend>
        <p className="text-xs text-slate-600">Empty everywhere: available any time. e.g. 08:00-12:00, 13:00-18:00</p>
        <div className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-2">
          {DAYS.map((d) => (
            <div key={d} className="flex items-center gap-2">
              <label htmlFor={`u-h-${d}`} className="w-10 text-sm font-medium capitalize text-slate-700">
                {d}
              </label>
              <Input id={`u-h-${d}`} value={hours[d] ?? ''} onChange={(e) => setHours((h) => ({ ...h, [d]: e.target.value }))} invalid={!!fe(`workingHours.${d}`)} aria-describedby={fe(`workingHours.${d}`) ? `u-h-${d}-error` : undefined} />
              {fe(`workingHours.${d}`) && (
                <span id={`u-h-${d}-error`} className="sr-only">
                  {fe(`workingHours.${d}`)}
                </span>
              )}
            </div>
          ))}
        </div>
        {Object.keys(fields).some((k) => k.startsWith('workingHours')) && <p className="mt-1 text-xs font-medium text-red-700">Use HH:MM-HH:MM windows, separated by commas.</p>}
      </fieldset>
      {error && <Notice tone="error">{error}</Notice>}
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" busy={busy}>
          {user ? 'Save' : 'Add member'}
        </Button>
      </div>
    </form>
  );
}
