import type { Metadata } from 'next';
import { ApiLatency } from '../../components/api-latency';
import { AppShell } from '../../components/app-shell';
import { SystemStatus } from '../../components/system-status';
import { PageHeader } from '../../components/ui';

export const metadata: Metadata = { title: 'System status' };

export default function StatusPage() {
  return (
    <AppShell open>
      <PageHeader title="System status" subtitle="Whether the services every lead depends on are reachable right now." />
      <SystemStatus />
      <div className="mt-8">
        <ApiLatency />
      </div>
    </AppShell>
  );
}
