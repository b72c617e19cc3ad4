import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AppShell } from '../../components/app-shell';
import { Loading } from '../../components/ui';
import { Dashboard } from './dashboard';

export const metadata: Metadata = { title: 'Dashboard' };

export default function DashboardPage() {
  return (
    <AppShell wide require={{ what: 'the dashboard', op: 'GET /dashboard' }}>
      <Suspense fallback={<Loading rows={3} rowClass="h-40" />}>
        <Dashboard />
      </Suspense>
    </AppShell>
  );
}
