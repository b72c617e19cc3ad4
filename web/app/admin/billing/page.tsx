import type { Metadata } from 'next';
import { AppShell } from '../../../components/app-shell';
import { BillingAdmin } from './billing-admin';

export const metadata: Metadata = { title: 'Billing' };

/** Every member may read the plan (tenant:read); the buttons are for owners and admins. */
export default function Page() {
  return (
    <AppShell wide require={{ what: 'billing', op: 'GET /billing' }}>
      <BillingAdmin />
    </AppShell>
  );
}
