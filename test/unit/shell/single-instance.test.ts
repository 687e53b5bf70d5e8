import { describe, expect, it } from 'vitest';
import { claimSingleInstance } from '../../../main/windows/single-instance';
import { FakeApp } from './fakes';

describe('claimSingleInstance', () => {
  it('goes on as the only instance when it gets the lock', () => {
    const app = new FakeApp(true);
    expect(claimSingleInstance(app.asApp())).toBe(true);
    expect(app.quits).toBe(0);
  });

  it('quits a second instance at once', () => {
    const app = new FakeApp(false);
    expect(claimSingleInstance(app.asApp())).toBe(false);
    expect(app.quits).toBe(1);
  });
});
