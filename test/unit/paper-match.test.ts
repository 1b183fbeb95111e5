import { describe, expect, it } from 'vitest';
import { PaperMatcher } from '../../lib/sources/paper-match';

// Hand-written link forms seen in posts and stories (edge cases, not captures).
const m = new PaperMatcher([{ id: '2605.13301' }, { id: 'hep-th/9901001' }, { id: '1234.5646' }]);

describe('PaperMatcher', () => {
  it.each([
    'https://arxiv.org/abs/2605.13301',
    'https://arxiv.org/abs/2605.13301v3',
    'http://arxiv.org/pdf/2605.13301v1.pdf',
    'arxiv.org/pdf/2605.13301',
    'https://arxiv.org/html/2605.13301v2/#S3',
    'https://arxiv.org/abs/2605.13301/versions',
    'https://arxiv.org/abs/2605.13301?context=cs.LG',
    'https://export.arxiv.org/abs/2605.13301',
    'https://www.alphaxiv.org/abs/2605.13301',
    'https://www.alphaxiv.org/overview/2605.13301v2',
    'https://doi.org/10.48550/arXiv.2605.13301',
  ])('%s → 2605.13301', (url) => {
    expect(m.fromUrl(url)).toBe('2605.13301');
  });

  it('reads old-style ids and the cached test ids the strict parser rejects', () => {
    expect(m.fromUrl('https://arxiv.org/abs/hep-th/9901001v2')).toBe('hep-th/9901001');
    expect(m.fromUrl('https://arxiv.org/pdf/hep-th/9901001')).toBe('hep-th/9901001');
    expect(m.fromUrl('https://arxiv.org/abs/1234.5646v1')).toBe('1234.5646');
    expect(m.fromId('1234.5646')).toBe('1234.5646');
  });

  it.each([
    'https://arxiv.org/list/cs.LG/new',
    'https://evil.example/abs/2605.13301',
    'https://arxiv.org.evil.example/abs/2605.13301',
    'javascript:alert(1)',
    'https://arxiv.org/abs/2605.99999',
    '',
  ])('%s → no paper', (url) => {
    expect(m.fromUrl(url)).toBeNull();
  });

  it('only answers for requested papers', () => {
    expect(m.fromId('2605.13301v2')).toBe('2605.13301');
    expect(m.fromId('2401.00001')).toBeNull();
    expect(m.fromId(42)).toBeNull();
  });
});
