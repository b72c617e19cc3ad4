import type { Metadata } from 'next';
import { AppShell } from '../../../components/app-shell';
import { RoutingAdmin } from './routing-admin';

export const metadata: Metadata = { title: 'Routing rules' };

export default function Page() {
  return (
    <AppShell wide require={{ what: 'routing rules', op: 'PUT /routing/rules' }}>
      <RoutingAdmin />
    </AppShell>
  );
}
