'use client';

import { useCallback, useState } from 'react';
import { ApiError, describeError } from './api/client';

/**
 * A user-triggered call (a form submit, a button): busy while it runs, a readable error and the
 * per-field messages of a 422 when it fails. `run` resolves to the result, or undefined on failure.
 */
export function useAction<A extends unknown[], R>(fn: (...args: A) => Promise<R>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setBusy(true);
      setError(null);
      setFields({});
      try {
        return await fn(...args);
      } catch (err) {
        if (err instanceof ApiError && err.status === 422) setFields(err.fieldErrors());
        setError(describeError(err));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [fn],
  );
  return { busy, error, fields, run, setError, setFields };
}
