import type { Metadata } from 'next';
import { AppShell } from '../../../components/app-shell';
import { AuditAdmin } from './audit-admin';

export const metadata: Metadata = { title: 'Audit log' };

export default function Page() {
  return (
    <AppShell wide require={{ what: 'the audit log', op: 'GET /audit-log' }}>
      <AuditAdmin />
    </AppShell>
  );
}
