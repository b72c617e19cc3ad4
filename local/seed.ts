/**
 * The demo tenant, created through the public API exactly as an integrator would: provision
 * with the platform token, sign in as the owner, add the team. Running it again finds the
 * tenant (409) and leaves it as it is.
 */
export const DEMO = {
  tenant: 'demo',
  password: 'demo-password-2026',
  owner: { email: 'owner@demo.leadpulse.test', name: 'Olivia Owner' },
  team: [
    { email: 'manager@demo.leadpulse.test', name: 'Marcus Manager', role: 'manager', territories: ['787'], skills: ['seller', 'buyer'] },
    { email: 'maria@demo.leadpulse.test', name: 'Maria Alvarez', role: 'agent', territories: ['78701', '78702', '78703'], skills: ['seller', 'spanish'], capacity: 10 },
    { email: 'james@demo.leadpulse.test', name: 'James Chen', role: 'agent', territories: ['78704', '78745'], skills: ['buyer', 'investor'], capacity: 12 },
    { email: 'priya@demo.leadpulse.test', name: 'Priya Patel', role: 'agent', territories: ['78731', '78746'], skills: ['seller', 'luxury'], capacity: 8 },
    { email: 'viewer@demo.leadpulse.test', name: 'Vera Viewer', role: 'viewer', territories: [], skills: [] },
  ],
} as const;

/** The demo tenant's GHL location; `npm run ghl -- … --location loc_demo` talks to it. */
export const DEMO_GHL = { locationId: 'loc_demo', apiToken: 'demo-location-token-local', fromNumber: '+15125550100' } as const;

export async function seedDemoTenant(baseUrl: string, platformToken: string, opts: { connectGhl?: boolean } = {}): Promise<'created' | 'exists'> {
  const post = (path: string, body: unknown, token: string) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  const provisioned = await post(
    '/v1/tenants',
    { name: 'Demo Realty Group', slug: DEMO.tenant, timezone: 'America/Chicago', owner: { ...DEMO.owner, password: DEMO.password } },
    platformToken,
  );
  if (provisioned.status === 409) return 'exists';
  if (provisioned.status !== 201) throw new Error(`seeding: provisioning answered ${provisioned.status}: ${await provisioned.text()}`);

  const login = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: DEMO.tenant, email: DEMO.owner.email, password: DEMO.password }),
  });
  if (login.status !== 200) throw new Error(`seeding: owner login answered ${login.status}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  for (const member of DEMO.team) {
    const res = await post('/v1/users', { ...member, password: DEMO.password }, accessToken);
    if (res.status !== 201) throw new Error(`seeding: creating ${member.email} answered ${res.status}: ${await res.text()}`);
  }
  if (opts.connectGhl) {
    const res = await fetch(`${baseUrl}/v1/integrations/ghl`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(DEMO_GHL),
    });
    if (res.status !== 200) throw new Error(`seeding: connecting GHL answered ${res.status}: ${await res.text()}`);
  }
  return 'created';
}
