import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AppShell } from '../../components/app-shell';
import { Loading } from '../../components/ui';
import { LeadView } from './lead-view';

export const metadata: Metadata = { title: 'Lead' };

/** /lead?id=lead_…: a static page (the export has no server for /leads/[id]); the id is read in the browser. */
export default function LeadPage() {
  return (
    <AppShell wide require={{ what: 'leads', op: 'GET /leads/{id}' }}>
      <Suspense fallback={<Loading rows={3} rowClass="h-40" />}>
        <LeadView />
      </Suspense>
    </AppShell>
  );
}
