import { useEffect, useState } from 'react';

export interface Loaded<T> {
  value: T | null;
  error: unknown;
  loading: boolean;
  /** Asks again (after a change made through another request). */
  reload(): void;
}

/** What a view shows from the city server, asked again when `deps` change; an answer to an older ask is dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ value: T | null; error: unknown; loading: boolean }>({ value: null, error: null, loading: true });
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => current && setState({ value, error: null, loading: false }),
      (error: unknown) => current && setState({ value: null, error, loading: false }),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure each render; what it reads is in `deps`.
  }, [...deps, asked]);
  return { ...state, reload: () => setAsked((n) => n + 1) };
}
