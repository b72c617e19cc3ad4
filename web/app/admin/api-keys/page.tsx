import type { Metadata } from 'next';
import { AppShell } from '../../../components/app-shell';
import { ApiKeysAdmin } from './api-keys-admin';

export const metadata: Metadata = { title: 'API keys' };

export default function Page() {
  return (
    <AppShell wide require={{ what: 'API keys', op: 'GET /api-keys' }}>
      <ApiKeysAdmin />
    </AppShell>
  );
}
