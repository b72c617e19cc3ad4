import type { Metadata } from 'next';
import { Suspense } from 'react';
import { AppShell } from '../../components/app-shell';
import { Loading } from '../../components/ui';
import { TeamCoaching } from './team-coaching';

export const metadata: Metadata = { title: 'Team coaching' };

export default function Page() {
  return (
    <AppShell wide require={{ what: 'team coaching', ops: ['GET /coaching/team', 'POST /coaching/agents/{id}/analyze'] }}>
      <Suspense fallback={<Loading />}>
        <TeamCoaching />
      </Suspense>
    </AppShell>
  );
}
