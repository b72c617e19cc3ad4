import type { Metadata } from 'next';
import { AppShell } from '../../../components/app-shell';
import { SettingsAdmin } from './settings-admin';

export const metadata: Metadata = { title: 'Business rules' };

export default function Page() {
  return (
    <AppShell wide require={{ what: 'business rules', op: 'PATCH /tenant' }}>
      <SettingsAdmin />
    </AppShell>
  );
}
