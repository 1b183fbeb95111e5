/**
 * Issue 6, "each source failing in each way while the others work", for Semantic Scholar and
 * alphaXiv (issue 16):
 * every scenario of the replay server in turn, every other source working. The matrix is in
 * faults-sources-matrix.mjs, split over faults-sources-{a,b,c} so the parts run in parallel.
 */
import { allSourcesSession, baselineTest, faultMatrix } from './faults-sources-matrix.mjs';

const ctx = allSourcesSession();
baselineTest(ctx);
faultMatrix(ctx, ['s2', 'alphaxiv']);
