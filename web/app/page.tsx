import { SystemStatus } from './system-status';

export default function Home() {
  return (
    <main className="mx-auto max-w-3xl px-4 py-8 sm:py-12">
      <header className="mb-6">
        <p className="text-sm font-semibold uppercase tracking-wide text-indigo-600">LeadPulse</p>
        <h1 className="mt-1 text-2xl font-bold sm:text-3xl">System status</h1>
        <p className="mt-2 text-slate-600">Whether the services every lead depends on are reachable right now.</p>
      </header>
      <SystemStatus />
    </main>
  );
}
