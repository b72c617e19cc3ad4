'use client';

import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { ApiError, describeError } from './api/client';

export interface Resource<T> {
  status: 'loading' | 'ready' | 'error';
  data: T | undefined;
  error: string | null;
  /** The HTTP status of the last failure (403/404 get their own screens). */
  errorStatus: number | null;
  reload(): Promise<void>;
  setData(fn: (d: T | undefined) => T | undefined): void;
}

/** One read, with loading / error states and a reload; a newer read wins over an older one. */
export function useResource<T>(load: () => Promise<T>, deps: DependencyList): Resource<T> {
  const [state, setState] = useState<{ status: Resource<T>['status']; data: T | undefined; error: string | null; errorStatus: number | null }>({ status: 'loading', data: undefined, error: null, errorStatus: null });
  const seq = useRef(0);
  // The caller lists what `load` depends on (as with useEffect).
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, status: s.data === undefined ? 'loading' : s.status, error: null }));
    try {
      const data = await run();
      if (mine === seq.current) setState({ status: 'ready', data, error: null, errorStatus: null });
    } catch (err) {
      if (mine === seq.current) setState((s) => ({ ...s, status: 'error', error: describeError(err), errorStatus: err instanceof ApiError ? err.status : null }));
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const setData = useCallback((fn: (d: T | undefined) => T | undefined) => setState((s) => ({ ...s, data: fn(s.data) })), []);
  return { ...state, reload, setData };
}
