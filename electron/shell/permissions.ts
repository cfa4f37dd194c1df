import type { Session } from 'electron';
import { isAppUrl } from './app-protocol';

type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0] & {};
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0] & {};
type DeviceHandler = Parameters<Session['setDevicePermissionHandler']>[0] & {};

/** The whole list of what the desk may use: a microphone (audio only) and HID headsets. */
const MICROPHONE = 'media';
const HID = 'hid';

const audioOnly = (types: readonly string[] | undefined) => !!types && types.length > 0 && types.every((t) => t === 'audio');

/**
 * Permission handlers for the desk's session. Granted: the microphone and HID, to the app's own
 * origin in its main frame. Denied and logged: everything else (camera, screen, notifications,
 * geolocation, clipboard…) and any request from elsewhere.
 */
export function createPermissionPolicy(log: (msg: string) => void): { request: RequestHandler; check: CheckHandler; device: DeviceHandler } {
  const deny = (what: string, from: string) => {
    log(`permission refused: ${what} for ${from.slice(0, 200)}`);
    return false;
  };
  return {
    request(_contents, permission, callback, details) {
      const d = details as { requestingUrl?: string; isMainFrame?: boolean; mediaTypes?: string[] };
      const from = d.requestingUrl ?? '';
      const ok =
        isAppUrl(from) && d.isMainFrame === true && (permission === MICROPHONE ? audioOnly(d.mediaTypes) : false)
          ? true
          : deny(permission, from);
      callback(ok);
    },
    check(_contents, permission, requestingOrigin, details) {
      const d = details as { isMainFrame?: boolean; mediaType?: string; requestingUrl?: string };
      const from = d.requestingUrl ?? requestingOrigin;
      if (!isAppUrl(from) || d.isMainFrame !== true) return deny(permission, from);
      if (permission === HID) return true;
      // 'unknown' is Chromium asking before listing devices (labels for the device settings), not a capture.
      if (permission === MICROPHONE) return d.mediaType === 'audio' || d.mediaType === 'unknown' || deny(`${permission} ${d.mediaType}`, from);
      return deny(permission, from);
    },
    device(details) {
      return (details.deviceType === HID && isAppUrl(details.origin)) || deny(`device ${details.deviceType}`, details.origin);
    },
  };
}

/** The HID device the page asked for: the first the OS offers within the page's filters (telephony headsets). */
export function pickHidDevice(devices: readonly { deviceId: string }[]): string {
  return devices[0]?.deviceId ?? '';
}
