import { describe, expect, it } from 'vitest';
import type { WebContents } from 'electron';
import { createPermissionPolicy, pickHidDevice } from '../../../../electron/shell/permissions';

const APP = 'app://desk/index.html';
const contents = {} as WebContents;

function ask(permission: string, details: Record<string, unknown>): { granted: boolean; log: string[] } {
  const log: string[] = [];
  let granted: boolean | undefined;
  createPermissionPolicy((m) => log.push(m)).request(contents, permission as never, (g) => (granted = g), details as never);
  if (granted === undefined) throw new Error('the request was never answered');
  return { granted, log };
}

describe('permission requests', () => {
  it('grants the microphone to the app main frame', () => {
    expect(ask('media', { requestingUrl: APP, isMainFrame: true, mediaTypes: ['audio'] }).granted).toBe(true);
  });

  it('refuses the camera and screen, sub-frames and other origins, and logs why', () => {
    expect(ask('media', { requestingUrl: APP, isMainFrame: true, mediaTypes: ['audio', 'video'] }).granted).toBe(false);
    expect(ask('media', { requestingUrl: APP, isMainFrame: true, mediaTypes: [] }).granted).toBe(false);
    expect(ask('media', { requestingUrl: APP, isMainFrame: false, mediaTypes: ['audio'] }).granted).toBe(false);
    const foreign = ask('media', { requestingUrl: 'https://evil.example/', isMainFrame: true, mediaTypes: ['audio'] });
    expect(foreign.granted).toBe(false);
    expect(foreign.log[0]).toContain('permission refused: media for https://evil.example/');
  });

  it('refuses everything else, even to the app', () => {
    for (const p of ['notifications', 'geolocation', 'clipboard-read', 'display-capture', 'openExternal', 'midiSysex', 'fullscreen', 'pointerLock']) {
      expect(ask(p, { requestingUrl: APP, isMainFrame: true }).granted, p).toBe(false);
    }
  });
});

describe('permission checks and devices', () => {
  const policy = createPermissionPolicy(() => {});
  const check = (permission: string, origin: string, details: Record<string, unknown>) => policy.check(contents, permission as never, origin, details as never);

  it('answers yes for HID and the microphone in the app main frame only', () => {
    expect(check('hid', 'app://desk', { isMainFrame: true, requestingUrl: APP })).toBe(true);
    expect(check('media', 'app://desk', { isMainFrame: true, requestingUrl: APP, mediaType: 'audio' })).toBe(true);
    expect(check('media', 'app://desk', { isMainFrame: true, requestingUrl: APP, mediaType: 'unknown' })).toBe(true);
    expect(check('media', 'app://desk', { isMainFrame: true, requestingUrl: APP, mediaType: 'video' })).toBe(false);
    expect(check('media', 'app://desk', { isMainFrame: true, requestingUrl: APP })).toBe(false);
    expect(check('hid', 'app://desk', { requestingUrl: APP })).toBe(false);
    expect(check('hid', 'app://desk', { isMainFrame: false, requestingUrl: APP })).toBe(false);
    expect(check('hid', 'https://evil.example', { isMainFrame: true, requestingUrl: 'https://evil.example/' })).toBe(false);
    expect(check('notifications', 'app://desk', { isMainFrame: true, requestingUrl: APP })).toBe(false);
    expect(check('serial', 'app://desk', { isMainFrame: true, requestingUrl: APP })).toBe(false);
  });

  it('keeps HID devices for the app and refuses other device kinds', () => {
    expect(policy.device({ deviceType: 'hid', origin: 'app://desk', device: {} } as never)).toBe(true);
    expect(policy.device({ deviceType: 'hid', origin: 'https://evil.example', device: {} } as never)).toBe(false);
    expect(policy.device({ deviceType: 'usb', origin: 'app://desk', device: {} } as never)).toBe(false);
    expect(policy.device({ deviceType: 'serial', origin: 'app://desk', device: {} } as never)).toBe(false);
    expect(pickHidDevice([{ deviceId: 'jabra' }, { deviceId: 'other' }])).toBe('jabra');
    expect(pickHidDevice([])).toBe('');
  });
});
