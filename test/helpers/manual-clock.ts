/** Time a test moves on by hand, with timers that fire as it does. */
export function manualClock(start = 1_000) {
  let now = start;
  const due: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  return {
    now: () => now,
    pending: () => due.length,
    timers: {
      setTimeout: (fn: () => void, ms: number) => (due.push({ at: now + ms, fn, id: next }), next++),
      clearTimeout: (id: unknown) => {
        const i = due.findIndex((d) => d.id === id);
        if (i >= 0) due.splice(i, 1);
      },
      /** Re-arms after each run, under the same id (so clearTimeout stops it too). */
      setInterval: (fn: () => void, ms: number) => {
        const id = next++;
        const tick = () => {
          due.push({ at: now + ms, fn: tick, id });
          fn();
        };
        due.push({ at: now + ms, fn: tick, id });
        return id;
      },
    },
    advance(ms: number) {
      now += ms;
      for (const d of due.filter((x) => x.at <= now)) {
        due.splice(due.indexOf(d), 1);
        d.fn();
      }
    },
  };
}
