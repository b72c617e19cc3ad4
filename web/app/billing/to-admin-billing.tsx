'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { Loading } from '../../components/ui';

export function ToAdminBilling() {
  const router = useRouter();
  useEffect(() => {
    router.replace(`/admin/billing${window.location.search}`);
  }, [router]);
  return (
    <main className="mx-auto max-w-3xl px-4 py-6">
      <Loading rows={2} />
    </main>
  );
}
