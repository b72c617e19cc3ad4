import type { Metadata } from 'next';
import { AppShell } from '../../components/app-shell';
import { AdminHome } from './admin-home';

export const metadata: Metadata = { title: 'Admin' };

export default function AdminPage() {
  return (
    <AppShell require={{ what: 'the admin area', admin: true }}>
      <AdminHome />
    </AppShell>
  );
}
