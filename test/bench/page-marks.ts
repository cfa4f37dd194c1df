/**
 * Page-side timing for the browser benchmarks, as plain JavaScript text for addInitScript: the
 * bench runs under tsx, whose compiled functions may call helpers the page does not have.
 *
 * `marksScript(names, body)` defines `window.__marks` with an array per name, a `now()` on the
 * wall clock shared by all pages (performance.timeOrigin + performance.now()), and runs
 * `onInvite` when an initial INVITE reaches the page's SIP WebSocket — before JsSIP handles it.
 */
export function marksScript(names: readonly string[], onInvite: string, body: string): string {
  return `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const marks = { ${names.map((n) => `${n}: []`).join(', ')} };
  window.__marks = marks;
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
