import type { Presence } from '../../shared/presence';
import type { ShellHandlers } from '../../shared/shell-contract';
import type { UpdateFlow } from '../core/update/update-flow';
import { openIfAllowed, type NavigationGuardOptions } from './window';

/** A desktop notification as the shell uses it (Electron's Notification, or a test's fake). */
export interface Notice {
  show(): void;
  close(): void;
  on(event: 'click', listener: () => void): unknown;
}

/**
 * The shell's side of its contract with the page. A notification replaces the one with the same
 * tag (one ringing call, one notice) and brings the window forward when clicked; an update is
 * never installed in the middle of a call.
 */
export function createShellHandlers(o: {
  notice: (title: string, body: string) => Notice;
  showWindow: () => void;
  links: NavigationGuardOptions;
  updates: Pick<UpdateFlow, 'status' | 'install'>;
  presence: () => Presence | null;
}): ShellHandlers {
  const notices = new Map<string, Notice>();
  return {
    notify: ({ title, body, tag }) => {
      notices.get(tag)?.close();
      const notice = o.notice(title, body);
      notice.on('click', o.showWindow);
      notice.show();
      notices.set(tag, notice);
      return { shown: true };
    },
    dismiss: ({ tag }) => {
      notices.get(tag)?.close();
      return { dismissed: notices.delete(tag) };
    },
    openExternal: ({ url }) => ({ opened: openIfAllowed(url, o.links) }),
    updateStatus: () => o.updates.status(),
    installUpdate: () => ({ installing: o.presence()?.state !== 'on-call' && o.updates.install() }),
  };
}
