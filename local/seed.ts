/**
 * The demo tenant, created through the public API exactly as an integrator would: provision
 * with the platform token, sign in as the owner, add the team. Running it again finds the
 * tenant (409) and leaves it as it is.
 */
import Stripe from 'stripe';
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

/**
 * A paid plan for a tenant the way production learns of one: a signed `customer.subscription.created`
 * delivered to /webhooks/stripe (signed with the webhook secret the local stack generated). The
 * demo team is bigger than the free plan's 3 seats; the benchmarks use it too.
 */
export async function subscribeTenant(baseUrl: string, tenantId: string, webhookSecret: string, opts: { plan?: 'team' | 'brokerage'; seats?: number } = {}) {
  const plan = opts.plan ?? 'brokerage';
  const created = Math.floor(Date.now() / 1000);
  const payload = JSON.stringify({
    id: `evt_demo_${tenantId}`,
    object: 'event',
    type: 'customer.subscription.created',
    created,
    data: {
      object: {
        id: `sub_demo_${tenantId}`,
        object: 'subscription',
        customer: `cus_demo_${tenantId}`,
        status: 'active',
        metadata: { tenantId },
        cancel_at_period_end: false,
        items: { object: 'list', data: [{ id: `si_demo_${tenantId}`, quantity: opts.seats ?? 25, current_period_end: created + 30 * 86_400, price: { id: `price_demo_${plan}`, lookup_key: plan, metadata: {} } }] },
      },
    },
  });
  const signature = await Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret: webhookSecret });
  const res = await fetch(`${baseUrl}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
  if (res.status !== 200) throw new Error(`subscribing ${tenantId}: the Stripe webhook answered ${res.status}: ${await res.text()}`);
}

export async function seedDemoTenant(baseUrl: string, platformToken: string, opts: { connectGhl?: boolean; stripeWebhookSecret?: string } = {}): Promise<'created' | 'exists'> {
  const post = (path: string, body: unknown, token: string) =>
    fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });

  const provisioned = await post(
    '/v1/tenants',
    { name: 'Demo Realty Group', slug: DEMO.tenant, timezone: 'America/Chicago', owner: { ...DEMO.owner, password: DEMO.password } },
    platformToken,
  );
  if (provisioned.status === 409) return 'exists';
  if (provisioned.status !== 201) throw new Error(`seeding: provisioning answered ${provisioned.status}: ${await provisioned.text()}`);
  const { tenant } = (await provisioned.json()) as { tenant: { id: string } };
  if (opts.stripeWebhookSecret) await subscribeTenant(baseUrl, tenant.id, opts.stripeWebhookSecret);

  const login = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant: DEMO.tenant, email: DEMO.owner.email, password: DEMO.password }),
  });
  if (login.status !== 200) throw new Error(`seeding: owner login answered ${login.status}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  for (const member of DEMO.team) {
    const res = await post('/v1/users', { ...member, password: DEMO.password }, accessToken);
    // No Stripe webhook secret to subscribe with: the free plan's seats are all the demo gets.
    if (res.status === 402 && !opts.stripeWebhookSecret) break;
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

/**
 * A few seller conversations for the demo, sent the way production receives them: signed GHL
 * webhooks into /webhooks/ghl, answered by the seller assistant through the GHL stand-in.
 */
const DEMO_CONVERSATIONS: Array<{ contact: Record<string, unknown>; texts: string[] }> = [
  {
    contact: { id: 'demo-pat', name: 'Pat Doe', phone: '+15125550142', city: 'Austin', state: 'TX', postalCode: '78701' },
    texts: ['Hi, got your postcard about selling', 'Relocating to Denver for a new job, we have to move by next month', 'about 30 days', 'move-in ready, new roof last year', 'hoping for around 485k'],
  },
  {
    contact: { id: 'demo-linda', name: 'Linda Gomez', phone: '+15125550177', city: 'Austin', state: 'TX', postalCode: '78745' },
    texts: ['My mom passed and we inherited her house, thinking of selling', 'probably in the spring'],
  },
  {
    contact: { id: 'demo-sam', name: 'Sam Patel', phone: '+17375550123', city: 'Austin', state: 'TX', postalCode: '78731' },
    texts: ['what would you pay for my house?', 'can someone just call me'],
  },
  {
    contact: { id: 'demo-rob', name: 'Rob Miller', phone: '+15125550199', state: 'TX' },
    texts: ['who is this', 'STOP'],
  },
];

export async function seedDemoConversations(baseUrl: string, ghlUrl: string): Promise<number> {
  const { ghlEvent, signedGhlDelivery } = await import('./ghl/sign');
  const post = async (event: object) => {
    const { body, headers } = signedGhlDelivery(event);
    const res = await fetch(`${baseUrl}/webhooks/ghl`, { method: 'POST', headers, body });
    if (res.status !== 200) throw new Error(`seeding conversations: webhook answered ${res.status}: ${await res.text()}`);
  };
  const replies = async (contactId: string) =>
    ((await (await fetch(`${ghlUrl}/_standin/messages?contactId=${contactId}`)).json()) as { messages: unknown[] }).messages.length;
  for (const { contact, texts } of DEMO_CONVERSATIONS) {
    await post(ghlEvent('ContactCreate', { locationId: DEMO_GHL.locationId, ...contact }));
    for (const text of texts) {
      const before = await replies(contact.id as string);
      await post(ghlEvent('InboundMessage', { locationId: DEMO_GHL.locationId, contactId: contact.id, body: text }));
      // One turn at a time, as a person texts: wait for the bot's answer (or 3 s of silence).
      const deadline = Date.now() + 3_000;
      while (Date.now() < deadline && (await replies(contact.id as string)) === before) await new Promise((r) => setTimeout(r, 50));
    }
  }
  return DEMO_CONVERSATIONS.length;
}
