import { describe, expect, it } from 'vitest';
import { absUrl, normalizeArxivId, parseArxivId, parseBareId, pdfUrl } from '../../lib/arxiv/ids';

describe('parseArxivId accepts every form users, pages and feeds carry', () => {
  it.each<[string, string, number | undefined]>([
    // bare ids
    ['2408.01234', '2408.01234', undefined],
    ['2408.01234v3', '2408.01234', 3],
    ['0704.0001', '0704.0001', undefined],
    ['1412.9999v12', '1412.9999', 12],
    ['1501.00001', '1501.00001', undefined],
    ['  2408.01234  ', '2408.01234', undefined],
    ['hep-th/9901001', 'hep-th/9901001', undefined],
    ['hep-th/9901001v1', 'hep-th/9901001', 1],
    ['math.GT/0309136v2', 'math/0309136', 2],
    ['math.GT/0309136', 'math/0309136', undefined],
    ['cond-mat/0703001', 'cond-mat/0703001', undefined],
    ['q-bio/0401001', 'q-bio/0401001', undefined],
    ['chao-dyn/9108001', 'chao-dyn/9108001', undefined],
    // prefixes
    ['arXiv:2408.01234v2', '2408.01234', 2],
    ['ARXIV:2408.01234', '2408.01234', undefined],
    ['arXiv:hep-th/9901001', 'hep-th/9901001', undefined],
    ['oai:arXiv.org:2310.16106v1', '2310.16106', 1],
    ['oai:arXiv.org:math.GT/0309136v2', 'math/0309136', 2],
    // arxiv.org URLs
    ['https://arxiv.org/abs/2408.01234', '2408.01234', undefined],
    ['https://arxiv.org/abs/2408.01234v3', '2408.01234', 3],
    ['http://arxiv.org/abs/2408.01234', '2408.01234', undefined],
    ['https://www.arxiv.org/abs/2408.01234', '2408.01234', undefined],
    ['https://export.arxiv.org/abs/2408.01234', '2408.01234', undefined],
    ['http://arxiv.org/abs/1707.08567v1', '1707.08567', 1],
    ['arxiv.org/abs/2408.01234', '2408.01234', undefined],
    ['https://arxiv.org/abs/2408.01234?context=cs.LG', '2408.01234', undefined],
    ['https://arxiv.org/abs/2408.01234/', '2408.01234', undefined],
    ['https://arxiv.org/abs/hep-th/9901001v1', 'hep-th/9901001', 1],
    ['https://arxiv.org/pdf/2408.01234', '2408.01234', undefined],
    ['https://arxiv.org/pdf/2408.01234v2', '2408.01234', 2],
    ['https://arxiv.org/pdf/2408.01234.pdf', '2408.01234', undefined],
    ['https://arxiv.org/pdf/2408.01234v2.pdf', '2408.01234', 2],
    ['https://arxiv.org/pdf/math.GT/0309136v2', 'math/0309136', 2],
    ['https://arxiv.org/html/2310.08262', '2310.08262', undefined],
    ['https://arxiv.org/html/2310.08262v1', '2310.08262', 1],
    ['https://arxiv.org/html/2310.08262v1/#S2', '2310.08262', 1],
    ['https://arxiv.org/html/2310.08262v1/x1.png', '2310.08262', 1],
    // third parties
    ['https://alphaxiv.org/abs/2408.01234', '2408.01234', undefined],
    ['https://www.alphaxiv.org/abs/2408.01234v2', '2408.01234', 2],
    ['https://doi.org/10.48550/arXiv.2408.01234', '2408.01234', undefined],
    ['https://doi.org/10.48550/ARXIV.2408.01234', '2408.01234', undefined],
    ['10.48550/arXiv.2408.01234', '2408.01234', undefined],
    ['doi:10.48550/arXiv.2408.01234', '2408.01234', undefined],
  ])('%s → %s (v%s)', (input, id, version) => {
    const parsed = parseArxivId(input);
    expect(parsed).not.toBeNull();
    expect(parsed!.id).toBe(id);
    expect(parsed!.version).toBe(version);
    expect(normalizeArxivId(input)).toBe(id);
  });
});

describe('parseArxivId rejects everything else', () => {
  it.each([
    ['empty', ''],
    ['spaces', '   '],
    ['words', 'attention is all you need'],
    ['month 34 (arXiv feed test data)', '1234.5646'],
    ['month 00', '2400.01234'],
    ['4 digits before new style began (0703)', '0703.0001'],
    ['4 digits after 2014', '1501.0001'],
    ['5 digits before 2015', '1412.00001'],
    ['6 digits', '2408.012345'],
    ['3 digits', '2408.123'],
    ['version 0', '2408.01234v0'],
    ['version without number', '2408.01234v'],
    ['old style after March 2007', 'hep-th/0801001'],
    ['old style before August 1991', 'hep-th/9001001'],
    ['old style number too long', 'hep-th/99010011'],
    ['uppercase archive', 'HEP-TH/9901001'],
    ['another host', 'https://example.com/abs/2408.01234'],
    ['a look-alike host', 'https://arxiv.org.evil.example/abs/2408.01234'],
    ['a non-http scheme', 'ftp://arxiv.org/abs/2408.01234'],
    ['javascript', 'javascript:alert(1)//2408.01234'],
    ['a listing page', 'https://arxiv.org/list/cs.LG/new'],
    ['an abs page without id', 'https://arxiv.org/abs/'],
    ['a different DOI prefix', 'https://doi.org/10.1103/PhysRevB.85.115117'],
    ['alphaxiv non-paper path', 'https://alphaxiv.org/explore'],
    ['an oai guid with garbage', 'oai:arXiv.org:garbage'],
    ['an over-long input', `https://arxiv.org/abs/2408.01234?${'x'.repeat(400)}`],
    ['a broken percent escape', 'https://arxiv.org/abs/%E0%A4%A'],
  ])('%s: %s', (_why, input) => {
    expect(parseArxivId(input)).toBeNull();
    expect(normalizeArxivId(input)).toBeNull();
  });

  it('returns null for non-strings instead of throwing', () => {
    expect(parseArxivId(undefined as unknown as string)).toBeNull();
    expect(parseArxivId(42 as unknown as string)).toBeNull();
  });

  it('parseBareId does not accept URLs or prefixes', () => {
    expect(parseBareId('arXiv:2408.01234')).toBeNull();
    expect(parseBareId('https://arxiv.org/abs/2408.01234')).toBeNull();
  });
});

describe('links are built from normalized ids only', () => {
  it('abs and pdf URLs', () => {
    expect(absUrl('2408.01234')).toBe('https://arxiv.org/abs/2408.01234');
    expect(pdfUrl('hep-th/9901001')).toBe('https://arxiv.org/pdf/hep-th/9901001');
  });
});
