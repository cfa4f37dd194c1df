import { useEffect, useState } from 'react';

/** The time, refreshed every `everyMs` while `active`: for countdowns and call timers. */
export function useNow(active: boolean, everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const tick = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(tick);
  }, [active, everyMs]);
  return now;
}
