import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../lib/settings';
import { POLL_REQUEST_BUDGET, POLL_REQUEST_BUDGET_ALL_SOURCES, pollRequestMax, SOURCES } from '../../lib/sources/index';

describe('request budget of a poll (issue 16: flat in the number of papers)', () => {
  it('with the default settings and no account: at most 10 requests', () => {
    const total = pollRequestMax((id) => DEFAULT_SETTINGS.sources[id].enabled, () => false);
    expect(total).toBeLessThanOrEqual(POLL_REQUEST_BUDGET);
    expect(POLL_REQUEST_BUDGET).toBe(10);
  });

  it('with every source on and every account signed in: at most 20 requests', () => {
    const total = pollRequestMax(() => true, () => true);
    expect(total).toBeLessThanOrEqual(POLL_REQUEST_BUDGET_ALL_SOURCES);
    expect(POLL_REQUEST_BUDGET_ALL_SOURCES).toBe(20);
    // Every source on but signed out costs no more than signed in.
    expect(pollRequestMax(() => true, () => false)).toBeLessThanOrEqual(total);
  });

  it('every source declares a positive whole number of requests', () => {
    for (const s of SOURCES) {
      expect(Number.isInteger(s.maxRequests) && s.maxRequests > 0, s.id).toBe(true);
      if (s.maxRequestsSignedOut !== undefined) expect(Number.isInteger(s.maxRequestsSignedOut) && s.maxRequestsSignedOut >= 0, s.id).toBe(true);
    }
  });
});
