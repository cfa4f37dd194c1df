/**
 * A desk page that goes away must not leave a citizen connected to nobody: leaving or reloading
 * during a call asks first (the browser's own confirmation; the desktop shell shows its own), and
 * leaving anyway runs `leave` as the page is hidden for good (end the calls with a BYE, keep the
 * consultation as a draft, free the desk).
 */
export function guardPageExit(win: Pick<Window, 'addEventListener'>, o: { inCall: () => boolean; leave: () => void }): void {
  win.addEventListener('beforeunload', (e) => {
    if (!o.inCall()) return;
    e.preventDefault();
    // Older engines ask only when a value is set.
    (e as BeforeUnloadEvent).returnValue = '';
  });
  // A desk page never goes to the back/forward cache (its sockets keep it out): hidden means gone.
  win.addEventListener('pagehide', () => o.leave());
}
