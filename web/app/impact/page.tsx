import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AppShell } from '../../components/app-shell';
import { Loading } from '../../components/ui';
import { Impact } from './impact';

export const metadata: Metadata = { title: 'Business impact' };

export default function ImpactPage() {
  return (
    <AppShell wide require={{ what: 'business impact', op: 'GET /impact' }}>
      <Suspense fallback={<Loading rows={3} rowClass="h-40" />}>
        <Impact />
      </Suspense>
    </AppShell>
  );
}
