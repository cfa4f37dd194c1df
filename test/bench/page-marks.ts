import type { Page } from '@playwright/test';

/**
 * Page-side timing for the browser benchmarks, as plain JavaScript text for addInitScript: the
 * bench runs under tsx, whose compiled functions may call helpers the page does not have.
 *
 * `marksScript(names, onInvite, body)` defines `window.__marks` with a list per name, a `now()` on
 * the wall clock shared by all pages (performance.timeOrigin + performance.now()), `mark(name)` and
 * `markNextFrame(name)`, and runs `onInvite` when an initial INVITE reaches the page's SIP
 * WebSocket — before JsSIP handles it. Each mark carries the bench's number of the call in
 * progress (`markCall`), so that marks are paired by call (`pairByCall`), never by position.
 */
export function marksScript(names: readonly string[], onInvite: string, body: string): string {
  return `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const marks = { ${names.map((n) => `${n}: []`).join(', ')} };
  window.__marks = marks;
  window.__call = null;
  const mark = (name) => marks[name].push([window.__call, now()]);
  // The call is the one in progress when the event happened, not when the frame came.
  const markNextFrame = (name) => {
    const call = window.__call;
    requestAnimationFrame(() => marks[name].push([call, now()]));
  };
  window.__mark = mark;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.startsWith('INVITE ') && !/\\r\\nTo:[^\\r\\n]*;tag=/i.test(e.data)) { ${onInvite} }
      });
    }
  };
  ${body}
})();`;
}

/** One mark: the call it was taken in (null: outside any call) and its wall-clock time, ms. */
export type Mark = readonly [call: number | null, at: number];

export type Marks<N extends string> = Record<N, Mark[]>;

/** Marks taken in `page` from now on belong to call number `call`. */
export async function markCall(page: Page, call: number): Promise<void> {
  await page.evaluate((k) => {
    (window as unknown as { __call: number }).__call = k;
  }, call);
}

/** Takes mark `name` in `page` now, for the call in progress. */
export async function markNow(page: Page, name: string): Promise<void> {
  await page.evaluate((n) => (window as unknown as { __mark(name: string): void }).__mark(n), name);
}

export const readMarks = <N extends string>(page: Page): Promise<Marks<N>> => page.evaluate('window.__marks') as Promise<Marks<N>>;

/**
 * For each of `calls`, the time of its mark in each of `series`. Fails loudly on a mark taken
 * outside any call or twice in one call, and on a call without one of the marks: a lost or an
 * extra mark must not pair every later call with another call's marks.
 */
export function pairByCall<N extends string>(calls: readonly number[], series: Record<N, readonly Mark[]>): Record<N, number>[] {
  const byName = (Object.entries(series) as [N, readonly Mark[]][]).map(([name, marks]) => {
    const times = new Map<number, number>();
    for (const [call, at] of marks) {
      if (call === null) throw new Error(`a ${name} mark was taken outside any call`);
      if (times.has(call)) throw new Error(`call ${call}: two ${name} marks`);
      times.set(call, at);
    }
    return [name, times] as const;
  });
  return calls.map(
    (call) =>
      Object.fromEntries(
        byName.map(([name, times]) => {
          const at = times.get(call);
          if (at === undefined) throw new Error(`call ${call}: no ${name} mark`);
          return [name, at];
        }),
      ) as Record<N, number>,
  );
}

/** Calls 1 to `n`, the bench's numbers for the first `n` calls. */
export const firstCalls = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
