import type { Metadata } from 'next';
import { AppShell } from '../../../components/app-shell';
import { UsersAdmin } from './users-admin';

export const metadata: Metadata = { title: 'Team' };

export default function Page() {
  return (
    <AppShell wide require={{ what: 'team management', op: 'PATCH /users/{id}' }}>
      <UsersAdmin />
    </AppShell>
  );
}
