import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { PulseIcon } from '../components/icons';
import { SignInScreen } from './sign-in-screen';

export const metadata: Metadata = { title: 'Sign in' };

export default function Home() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <span aria-hidden className="mx-auto inline-flex h-11 w-11 items-center justify-center rounded-xl bg-indigo-600 text-white">
            <PulseIcon className="h-6 w-6" />
          </span>
          <h1 className="mt-3 text-2xl font-bold tracking-tight">Sign in to LeadPulse</h1>
          <p className="mt-1 text-sm text-slate-600">Every lead answered in seconds.</p>
        </div>
        <div className="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
          <Suspense fallback={<div className="h-80" aria-hidden />}>
            <SignInScreen />
          </Suspense>
        </div>
        <p className="mt-6 text-center text-sm text-slate-600">
          <Link href="/status" className="font-medium text-indigo-700 underline-offset-2 hover:underline">
            System status
          </Link>
          {' · '}
          <a href="/docs" className="font-medium text-indigo-700 underline-offset-2 hover:underline">
            API reference
          </a>
        </p>
      </div>
    </main>
  );
}
