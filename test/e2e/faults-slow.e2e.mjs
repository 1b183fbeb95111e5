/**
 * Issue 6, "slow (beyond the client timeout)": a source answers only after 25 s, past its 20 s
 * timeout, three attempts — about a minute per poll. Hugging Face alone; and Hacker News, Bluesky,
 * X and Semantic Scholar in one poll (one shared minute instead of four) while Hugging Face works.
 * Each slow source is abandoned with a timed-out status and keeps its last data; the working
 * sources and the feed are unaffected; the next poll recovers. The two cases run side by side, each
 * with its own replay server and browser: the minute is spent waiting, not computing. The other
 * scenarios, one source at a time: faults-sources-{a,b,c}.e2e.mjs.
 */
import { describe } from 'node:test';
import { allSourcesSession, slowTest } from './faults-sources-matrix.mjs';

describe('sources slower than the client timeout', { concurrency: true }, () => {
  describe('Hugging Face alone', () => {
    slowTest(allSourcesSession(), ['hf']);
  });
  describe('the four others together', () => {
    slowTest(allSourcesSession(), ['hn', 'bluesky', 'x', 's2']);
  });
});
