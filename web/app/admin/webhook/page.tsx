import type { Metadata } from 'next';
import { AppShell } from '../../../components/app-shell';
import { WebhookAdmin } from './webhook-admin';

export const metadata: Metadata = { title: 'Outbound webhook' };

export default function Page() {
  return (
    <AppShell wide require={{ what: 'the outbound webhook', op: 'PUT /integrations/webhook' }}>
      <WebhookAdmin />
    </AppShell>
  );
}
