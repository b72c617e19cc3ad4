'use client';

/**
 * Admin → Billing: the plan, what the subscription's status means for the team, seats, the
 * period end and the features the plan includes. Owners and admins buy a plan (Stripe Checkout)
 * or change it (Stripe Customer Portal); both are pages on Stripe, so the screen only asks the
 * API for the one-time URL and leaves. What the buyer changes there comes back through Stripe's
 * webhook, not through this screen, which is why a return from checkout says "a few seconds".
 */
import { useEffect, useState, type FormEvent } from 'react';
import { Badge, Button, Card, Field, Input, Loading, Notice, PageHeader, ResourceView, Segmented } from '../../../components/ui';
import type { Schemas } from '../../../lib/api/openapi.gen';
import { count } from '../../../lib/format';
import { session } from '../../../lib/session';
import { useAction } from '../../../lib/use-action';
import { useResource } from '../../../lib/use-resource';
import { useSession } from '../../../lib/use-session';
import { AdminNav } from '../admin-nav';

type Billing = Schemas['Billing'];
type PaidPlan = Schemas['CheckoutRequest']['plan'];

const PLAN_NAME: Record<Billing['plan'], string> = { free: 'Free', team: 'Team', brokerage: 'Brokerage' };

const PAUSED = 'automation (bot replies, alerts, churn rescue, coaching) is paused';

/** Each Stripe status as the team lives it. */
const STATUS: Record<Billing['status'], { label: string; tone: 'emerald' | 'sky' | 'amber' | 'red' | 'slate'; text: string }> = {
  none: { label: 'No subscription', tone: 'slate', text: 'Never subscribed: the free plan applies.' },
  trialing: { label: 'Trial', tone: 'sky', text: 'On trial: everything in the plan works until the trial ends.' },
  active: { label: 'Active', tone: 'emerald', text: 'Paid and current: everything in the plan works.' },
  past_due: { label: 'Payment failed', tone: 'red', text: `Payment failed: ${PAUSED} until the card is updated; your data stays readable.` },
  unpaid: { label: 'Unpaid', tone: 'red', text: `Unpaid: ${PAUSED} until the invoice is paid; your data stays readable.` },
  paused: { label: 'Paused', tone: 'amber', text: `The subscription is paused: ${PAUSED} until it resumes; your data stays readable.` },
  canceled: { label: 'Canceled', tone: 'slate', text: `The subscription ended: ${PAUSED} and the free plan's features apply; your data stays readable.` },
  incomplete: { label: 'Payment pending', tone: 'amber', text: "The first payment has not gone through yet: the free plan's features apply until it does." },
  incomplete_expired: { label: 'Not paid', tone: 'slate', text: "The first payment never went through: the free plan's features apply." },
};

/** The plan's features by their names (the API lists them as codes). */
const FEATURE_NAME: Record<string, string> = {
  seller_bot: 'Seller bot (answers and qualifies texts)',
  alerts: 'Alerts',
  dashboard: 'Dashboard',
  routing_rules: 'Routing rules',
  scoring_models: 'Trained scoring models',
  churn_recovery: 'Going-cold rescue',
  tenant_webhooks: 'Outbound webhook',
  coaching: 'Agent coaching',
  experiments: 'Experiments',
  sla_escalation: 'SLA escalation',
};

/** Statuses in which checkout is refused (409): the subscription exists and changes go through the portal. */
const SUBSCRIBED = new Set<Billing['status']>(['active', 'trialing', 'past_due']);

function date(iso: string): string {
  return new Date(iso).toLocaleDateString('en-US', { year: 'numeric', month: 'short', day: 'numeric' });
}

/** Where Stripe sent the buyer back from (`?checkout=success|cancelled` on the return address). */
function useCheckoutReturn(): 'success' | 'cancelled' | null {
  const [value, setValue] = useState<'success' | 'cancelled' | null>(null);
  useEffect(() => {
    const v = new URLSearchParams(window.location.search).get('checkout');
    if (v === 'success' || v === 'cancelled') setValue(v);
  }, []);
  return value;
}

export function BillingAdmin() {
  const { can } = useSession();
  const billing = useResource(() => session().api.get('/billing'), []);
  const returned = useCheckoutReturn();
  const canBuy = can('POST /billing/checkout');
  const canManage = can('POST /billing/portal');
  // Stripe usually delivers its webhook before the buyer is back, but not always: look again once.
  const { reload } = billing;
  useEffect(() => {
    if (returned !== 'success') return;
    const timer = setTimeout(() => void reload(), 3_000);
    return () => clearTimeout(timer);
  }, [returned, reload]);
  return (
    <div data-screen-ready={billing.status !== 'loading' ? 'true' : undefined}>
      <PageHeader title="Billing" subtitle="Your plan, seats and what they include. Payments and invoices are handled by Stripe." />
      <AdminNav />
      {returned === 'success' && (
        <div className="mb-4">
          <Notice tone="success">Thank you: the payment went through. The plan below updates as soon as Stripe confirms it, usually within a few seconds; refresh if it has not.</Notice>
        </div>
      )}
      {returned === 'cancelled' && (
        <div className="mb-4">
          <Notice>Checkout was cancelled: nothing was charged and the plan is unchanged.</Notice>
        </div>
      )}
      <ResourceView resource={billing} loading={<Loading rows={2} rowClass="h-40" />}>
        {(b) => (
          <div className="space-y-4">
            {!b.automation && (
              <div data-testid="automation-paused">
                <Notice tone="warning">
                  <p className="font-semibold">Automation is paused</p>
                  <p className="mt-0.5">
                    {STATUS[b.status].text} {canManage ? 'Use Manage billing to update the card or restart the plan.' : 'An owner or admin can update the card under Billing.'}
                  </p>
                </Notice>
              </div>
            )}
            <div className="grid gap-4 lg:grid-cols-2">
              <PlanCard billing={b} canManage={canManage} />
              <FeaturesCard billing={b} />
            </div>
            {canBuy && !SUBSCRIBED.has(b.status) && <UpgradeCard billing={b} />}
          </div>
        )}
      </ResourceView>
    </div>
  );
}

function PlanCard({ billing: b, canManage }: { billing: Billing; canManage: boolean }) {
  const status = STATUS[b.status];
  const portal = useAction(async () => {
    const { url } = await session().api.post('/billing/portal');
    window.location.assign(url);
  });
  const share = b.seats > 0 ? Math.min(1, b.seatsUsed / b.seats) : 1;
  return (
    <Card id="billing-plan" title="Plan" action={<Badge tone={status.tone}>{status.label}</Badge>}>
      <p className="text-2xl font-bold tracking-tight text-slate-900" data-testid="billing-plan">
        {PLAN_NAME[b.plan]}
      </p>
      <p className="mt-1 text-sm text-slate-700" data-testid="billing-status">
        {status.text}
      </p>
      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
        <dt className="text-slate-600">Seats</dt>
        <dd>
          <span className="font-semibold tabular-nums" data-testid="billing-seats">
            {count(b.seatsUsed)} of {count(b.seats)} used
          </span>
          <div role="progressbar" aria-label="Seats used" aria-valuemin={0} aria-valuemax={b.seats} aria-valuenow={b.seatsUsed} className="mt-1 h-2 w-full max-w-xs overflow-hidden rounded-full bg-slate-200">
            <div className={share >= 1 ? 'h-full rounded-full bg-amber-500' : 'h-full rounded-full bg-indigo-600'} style={{ width: `${Math.round(share * 100)}%` }} />
          </div>
          {b.seatsUsed >= b.seats && <p className="mt-1 text-xs text-amber-900">Every seat is taken: adding a user needs more seats.</p>}
        </dd>
        <dt className="text-slate-600">{b.cancelAtPeriodEnd ? 'Ends' : 'Renews'}</dt>
        <dd data-testid="billing-period-end">{b.currentPeriodEnd ? `${date(b.currentPeriodEnd)}${b.cancelAtPeriodEnd ? ' (cancelled, not renewed)' : ''}` : '—'}</dd>
      </dl>
      {canManage && (
        <div className="mt-4">
          {portal.error && (
            <div className="mb-3">
              <Notice tone="error">{portal.error}</Notice>
            </div>
          )}
          <Button variant={SUBSCRIBED.has(b.status) ? 'primary' : 'secondary'} busy={portal.busy} onClick={() => void portal.run()}>
            Manage billing
          </Button>
          <p className="mt-2 text-xs text-slate-600">Opens Stripe: seats, plan, card, invoices and cancelling.</p>
        </div>
      )}
    </Card>
  );
}

function FeaturesCard({ billing: b }: { billing: Billing }) {
  return (
    <Card title={`Included in ${PLAN_NAME[b.plan]}`}>
      <ul className="grid gap-x-4 gap-y-1.5 text-sm sm:grid-cols-2" data-testid="billing-features">
        {b.features.map((f) => (
          <li key={f} className="flex items-start gap-2">
            <span aria-hidden className="mt-0.5 text-emerald-600">
              ✓
            </span>
            <span>{FEATURE_NAME[f] ?? f.replace(/_/g, ' ')}</span>
          </li>
        ))}
      </ul>
      {!b.automation && <p className="mt-3 text-xs text-slate-600">Settings of these features stay editable; the automation that runs them is paused.</p>}
    </Card>
  );
}

function UpgradeCard({ billing: b }: { billing: Billing }) {
  const [plan, setPlan] = useState<PaidPlan>(b.plan === 'brokerage' ? 'brokerage' : 'team');
  const [seats, setSeats] = useState(String(Math.max(b.seatsUsed, b.seats)));
  const checkout = useAction(async () => {
    const { url } = await session().api.post('/billing/checkout', { body: { plan, seats: Number(seats) } });
    window.location.assign(url);
  });
  const n = Number(seats);
  const valid = Number.isInteger(n) && n >= Math.max(1, b.seatsUsed) && n <= 1000;
  function submit(e: FormEvent) {
    e.preventDefault();
    if (valid) void checkout.run();
  }
  return (
    <Card id="billing-upgrade" title="Upgrade">
      <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-[auto_12rem_auto] sm:items-end">
        <div>
          <span className="block text-sm font-medium text-slate-800">Plan</span>
          <div className="mt-1">
            <Segmented<PaidPlan>
              label="Plan"
              value={plan}
              onChange={setPlan}
              options={[
                { value: 'team', label: 'Team' },
                { value: 'brokerage', label: 'Brokerage' },
              ]}
            />
          </div>
        </div>
        <Field label="Seats" htmlFor="billing-seats-input" hint={`At least ${count(Math.max(1, b.seatsUsed))}: the team has ${count(b.seatsUsed)} users`} error={checkout.fields.seats}>
          <Input id="billing-seats-input" type="number" inputMode="numeric" min={Math.max(1, b.seatsUsed)} max={1000} value={seats} onChange={(e) => setSeats(e.target.value)} invalid={!valid || !!checkout.fields.seats} />
        </Field>
        <div className="sm:pb-5">
          <Button type="submit" variant="primary" busy={checkout.busy} disabled={!valid}>
            Continue to checkout
          </Button>
        </div>
      </form>
      <p className="mt-3 text-sm text-slate-700">
        {plan === 'team' ? 'Team adds routing rules, trained scoring models, going-cold rescue and the outbound webhook.' : 'Brokerage adds coaching, experiments and SLA escalation to everything in Team.'} Payment is on Stripe; you come back here afterwards.
      </p>
      {checkout.error && (
        <div className="mt-3">
          <Notice tone="error">{checkout.error}</Notice>
        </div>
      )}
    </Card>
  );
}
