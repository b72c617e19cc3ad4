import type { Metadata } from 'next';
import { AppShell } from '../../../components/app-shell';
import { ModelsAdmin } from './models-admin';

export const metadata: Metadata = { title: 'Models' };

export default function Page() {
  return (
    <AppShell wide require={{ what: 'the models', op: 'GET /models', withAdmin: true }}>
      <ModelsAdmin />
    </AppShell>
  );
}
