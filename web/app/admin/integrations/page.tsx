import type { Metadata } from 'next';
import { AppShell } from '../../../components/app-shell';
import { GhlAdmin } from './ghl-admin';

export const metadata: Metadata = { title: 'GoHighLevel' };

export default function Page() {
  return (
    <AppShell wide require={{ what: 'the GoHighLevel connection', op: 'PUT /integrations/ghl' }}>
      <GhlAdmin />
    </AppShell>
  );
}
