import { describe, expect, it } from 'vitest';
import { FEED_REQUESTS_PER_POLL, POLL_REQUEST_BUDGET, SOURCES } from '../../lib/sources/index';

describe('request budget of a poll (issue 8: ≤ 10 requests, independent of the number of papers)', () => {
  it('the joined feed plus every source at its maximum fits the budget', () => {
    const total = FEED_REQUESTS_PER_POLL + SOURCES.reduce((n, s) => n + s.maxRequests, 0);
    expect(total).toBeLessThanOrEqual(POLL_REQUEST_BUDGET);
    expect(POLL_REQUEST_BUDGET).toBe(10);
  });

  it('every source declares a positive whole number of requests', () => {
    for (const s of SOURCES) expect(Number.isInteger(s.maxRequests) && s.maxRequests > 0, s.id).toBe(true);
  });
});
