import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../main/protocol/csp';

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp.split(';').map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  const csp = directives(contentSecurityPolicy('app://media'));

  it('allows only our own scripts, styles and connections', () => {
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });

  it('never allows inline code, eval or plugins', () => {
    const text = contentSecurityPolicy('app://media');
    expect(text).not.toContain('unsafe-inline');
    expect(text).not.toContain('unsafe-eval');
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });

  it('lets images come from the media origin, data: and blob:', () => {
    expect(csp.get('img-src')).toEqual(["'self'", 'app://media', 'data:', 'blob:']);
    expect(directives(contentSecurityPolicy('http://127.0.0.1:4321/')).get('img-src')).toContain(
      'http://127.0.0.1:4321',
    );
  });

  it('allows webcam streams for media', () => {
    expect(csp.get('media-src')).toEqual(["'self'", 'blob:', 'mediastream:']);
  });

  it('refuses a media origin that could inject directives', () => {
    expect(() => contentSecurityPolicy("app://media; script-src 'unsafe-inline'")).toThrow(/media origin/);
    expect(() => contentSecurityPolicy('')).toThrow();
    expect(() => contentSecurityPolicy('*')).toThrow();
  });
});
