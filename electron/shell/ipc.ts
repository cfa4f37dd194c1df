import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { answerCall, type Contract, type Reply } from '../../shared/rpc';
import { describeIssues } from '../../shared/issues';
import { isAppUrl } from './app-protocol';

/** What main-side handlers need of the sender: the frame that sent and its web contents. */
export type SenderEvent = Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>;

/**
 * Why a message's sender is not trusted, or null: only the app's own origin, in the window's
 * current main frame. The identity check refuses sub-frames and also a top-level frame the page
 * has navigated away from, whose messages may still arrive.
 */
export function untrustedSender(event: SenderEvent): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame !== event.sender.mainFrame) return `a frame other than the main one (${frame.url.slice(0, 200)})`;
  if (!isAppUrl(frame.url)) return `a foreign origin (${frame.url.slice(0, 200)})`;
  return null;
}

/**
 * Serves a contract on an IPC channel. Each call is refused (and logged) unless it comes from
 * the app's main frame; then its method and params are validated against the contract before
 * the handler runs, and the result before it goes back. Replies are plain data, never errors.
 */
export function handleContract(
  ipcMain: Pick<IpcMain, 'handle'>,
  channel: string,
  contract: Contract,
  handlers: Record<string, (params: never) => unknown>,
  log: (msg: string) => void,
): void {
  ipcMain.handle(channel, async (event, method: unknown, params: unknown): Promise<Reply> => {
    const why = untrustedSender(event);
    if (why) {
      log(`ipc ${channel} refused from ${why}`);
      return { ok: false, error: { code: 'forbidden', message: 'not allowed from this frame' } };
    }
    if (typeof method !== 'string') {
      log(`ipc ${channel} refused: method is not a string`);
      return { ok: false, error: { code: 'bad-message', message: 'method must be a string' } };
    }
    return answerCall(contract, handlers, method, params, (m) => log(`ipc ${channel}: ${m}`));
  });
}

/** Sends one validated event to the window's page; an event that fails its schema is logged, not sent. */
export function sendEvent(contents: Pick<WebContents, 'send' | 'isDestroyed'>, channel: string, contract: Contract, name: string, data: unknown, log: (msg: string) => void): void {
  const schema = contract.events[name];
  const checked = schema?.safeParse(data);
  if (!checked?.success) {
    log(`event ${name} not sent: ${checked ? describeIssues(checked.error) : 'unknown event'}`);
    return;
  }
  if (!contents.isDestroyed()) contents.send(channel, name, checked.data);
}
