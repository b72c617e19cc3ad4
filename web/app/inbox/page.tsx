import type { Metadata } from 'next';
import { AppShell } from '../../components/app-shell';
import { Inbox } from './inbox';

export const metadata: Metadata = { title: 'Inbox' };

export default function InboxPage() {
  return (
    <AppShell wide require={{ what: 'the inbox', op: 'GET /alerts' }}>
      <Inbox />
    </AppShell>
  );
}
