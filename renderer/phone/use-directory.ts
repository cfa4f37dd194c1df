import { useEffect, useState } from 'react';
import type { Department } from '../../shared/directory';

export interface Directory {
  /** Null while it loads. */
  departments: Department[] | null;
  /** Why it could not load (kept for support; the screen says it in Korean). */
  error: string | null;
}

/** The city's directory, loaded once per link to the core, for every part of the desk that names a department. */
export function useDirectory(load: (() => Promise<Department[]>) | null): Directory {
  const [directory, setDirectory] = useState<Directory>({ departments: null, error: null });
  useEffect(() => {
    // No link to the core yet: the directory is coming, not failing.
    if (!load) return;
    let live = true;
    load().then(
      (departments) => live && setDirectory({ departments, error: null }),
      (e: Error) => live && setDirectory((d) => ({ ...d, error: e.message || 'error' })),
    );
    return () => {
      live = false;
    };
  }, [load]);
  return directory;
}
