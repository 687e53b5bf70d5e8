import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { lockPermissions } from '../../../main/windows/permissions';
import { FakeSession, FakeWebContents } from './fakes';

const UI = 'app://ui/index.html';

function locked() {
  const session = new FakeSession();
  lockPermissions(session.asSession());
  return session;
}

/** What the request handler answers for `permission` from a page at `pageUrl` asking with `details`. */
function request(
  permission: string,
  pageUrl: string,
  details: { requestingUrl?: string; mediaTypes?: string[]; securityOrigin?: string; isMainFrame?: boolean },
): boolean {
  const session = locked();
  const contents = new FakeWebContents();
  contents.url = pageUrl;
  let answer: boolean | undefined;
  const handler = session.requestHandler as unknown as (
    contents: WebContents,
    permission: string,
    callback: (granted: boolean) => void,
    details: object,
  ) => void;
  handler(contents.asWebContents(), permission, (granted) => (answer = granted), {
    isMainFrame: true,
    requestingUrl: pageUrl,
    ...details,
  });
  expect(answer).toBeTypeOf('boolean');
  return answer as boolean;
}

/** What the check handler answers. */
function check(
  permission: string,
  origin: string,
  details: { mediaType?: string; requestingUrl?: string; securityOrigin?: string; isMainFrame?: boolean },
  pageUrl: string | null = UI,
): boolean {
  const session = locked();
  const handler = session.checkHandler as unknown as (
    contents: WebContents | null,
    permission: string,
    origin: string,
    details: object,
  ) => boolean;
  const contents = pageUrl === null ? null : Object.assign(new FakeWebContents(), { url: pageUrl });
  return handler(contents?.asWebContents() ?? null, permission, origin, { isMainFrame: true, ...details });
}

const OTHER_ORIGINS = [
  'app://uievil/index.html',
  'app://ui:80/index.html',
  'app://ui.evil/index.html',
  'https://evil.example/',
  'http://ui/index.html',
  'file:///index.html',
  'app://media/p/thumb/x',
  'not a url',
];

describe('lockPermissions: permission requests', () => {
  it('grants the camera (video only) to our UI', () => {
    expect(request('media', UI, { mediaTypes: ['video'], securityOrigin: 'app://ui' })).toBe(true);
    expect(request('media', UI, { mediaTypes: ['video'] })).toBe(true);
  });

  it('never grants the microphone, alone or with the camera', () => {
    expect(request('media', UI, { mediaTypes: ['audio'] })).toBe(false);
    expect(request('media', UI, { mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(request('media', UI, { mediaTypes: [] })).toBe(false);
    expect(request('media', UI, {})).toBe(false);
  });

  it.each(OTHER_ORIGINS)('refuses the camera to %s', (url) => {
    expect(request('media', url, { mediaTypes: ['video'] })).toBe(false);
    // the page is ours but the requesting frame or origin is not
    expect(request('media', UI, { requestingUrl: url, mediaTypes: ['video'] })).toBe(false);
    expect(request('media', UI, { securityOrigin: url, mediaTypes: ['video'] })).toBe(false);
  });

  it('refuses a subframe of our UI', () => {
    expect(request('media', UI, { mediaTypes: ['video'], isMainFrame: false })).toBe(false);
  });

  it.each([
    'geolocation',
    'notifications',
    'openExternal',
    'display-capture',
    'clipboard-read',
    'midiSysex',
    'fullscreen',
    'hid',
  ])('refuses %s even to our UI', (permission) => {
    expect(request(permission, UI, { mediaTypes: ['video'] })).toBe(false);
  });
});

describe('lockPermissions: permission checks', () => {
  it('allows the camera check for our UI', () => {
    expect(check('media', 'app://ui', { mediaType: 'video', securityOrigin: 'app://ui' })).toBe(true);
    expect(check('media', 'app://ui', { mediaType: 'video', requestingUrl: UI })).toBe(true);
  });

  it('answers no for the microphone and unknown media', () => {
    expect(check('media', 'app://ui', { mediaType: 'audio' })).toBe(false);
    expect(check('media', 'app://ui', { mediaType: 'unknown' })).toBe(false);
    expect(check('media', 'app://ui', {})).toBe(false);
  });

  it.each(OTHER_ORIGINS)('answers no for %s', (url) => {
    expect(check('media', url, { mediaType: 'video' })).toBe(false);
    expect(check('media', 'app://ui', { mediaType: 'video', requestingUrl: url })).toBe(false);
    expect(check('media', 'app://ui', { mediaType: 'video', securityOrigin: url })).toBe(false);
    expect(check('media', 'app://ui', { mediaType: 'video' }, url)).toBe(false);
  });

  it('answers no without any origin, and for subframes', () => {
    expect(check('media', '', { mediaType: 'video' }, null)).toBe(false);
    expect(check('media', 'app://ui', { mediaType: 'video', isMainFrame: false })).toBe(false);
  });

  it.each(['geolocation', 'notifications', 'clipboard-read', 'serial', 'usb'])(
    'answers no for %s',
    (permission) => {
      expect(check(permission, 'app://ui', { mediaType: 'video' })).toBe(false);
    },
  );
});
