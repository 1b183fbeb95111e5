/**
 * arXiv's category taxonomy, to validate the categories a user types in the options page.
 * The cs.* list matches the one arXiv's own feed app prints in its "Bad subject class" error
 * (test/fixtures/rss_error_bad_category.xml). The other archives are written from arXiv's
 * published category taxonomy as known to the author (https://arxiv.org/category_taxonomy),
 * not captured from a live page: a category arXiv adds later needs a line here.
 */

/** Archive (the part before the dot) → its name. Archives without sub-classes are categories too. */
export const ARCHIVES: Readonly<Record<string, string>> = {
  'astro-ph': 'Astrophysics',
  'cond-mat': 'Condensed Matter',
  cs: 'Computer Science',
  econ: 'Economics',
  eess: 'Electrical Engineering and Systems Science',
  'gr-qc': 'General Relativity and Quantum Cosmology',
  'hep-ex': 'High Energy Physics - Experiment',
  'hep-lat': 'High Energy Physics - Lattice',
  'hep-ph': 'High Energy Physics - Phenomenology',
  'hep-th': 'High Energy Physics - Theory',
  math: 'Mathematics',
  'math-ph': 'Mathematical Physics',
  nlin: 'Nonlinear Sciences',
  'nucl-ex': 'Nuclear Experiment',
  'nucl-th': 'Nuclear Theory',
  physics: 'Physics',
  'q-bio': 'Quantitative Biology',
  'q-fin': 'Quantitative Finance',
  'quant-ph': 'Quantum Physics',
  stat: 'Statistics',
};

const SUB: Readonly<Record<string, string>> = {
  'astro-ph': 'CO EP GA HE IM SR',
  'cond-mat': 'dis-nn mes-hall mtrl-sci other quant-gas soft stat-mech str-el supr-con',
  cs: 'AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA NE NI OH OS PF PL RO SC SD SE SI SY',
  econ: 'EM GN TH',
  eess: 'AS IV SP SY',
  math: 'AC AG AP AT CA CO CT CV DG DS FA GM GN GR GT HO IT KT LO MG MP NA NT OA OC PR QA RA RT SG SP ST',
  nlin: 'AO CD CG PS SI',
  physics: 'acc-ph ao-ph app-ph atm-clus atom-ph bio-ph chem-ph class-ph comp-ph data-an ed-ph flu-dyn gen-ph geo-ph hist-ph ins-det med-ph optics plasm-ph pop-ph soc-ph space-ph',
  'q-bio': 'BM CB GN MN NC OT PE QM SC TO',
  'q-fin': 'CP EC GN MF PM PR RM ST TR',
  stat: 'AP CO ME ML OT TH',
};

/** Every category code a feed can be requested for: `cs.LG`, `hep-th`, and whole archives (`math`). */
export const CATEGORIES: ReadonlySet<string> = new Set([
  ...Object.keys(ARCHIVES),
  ...Object.entries(SUB).flatMap(([a, subs]) => subs.split(' ').map((s) => `${a}.${s}`)),
]);

export function isKnownCategory(code: string): boolean {
  return CATEGORIES.has(code.trim());
}

export function archiveName(code: string): string | undefined {
  return ARCHIVES[code.split('.')[0]!];
}

/** Splits user input ("cs.LG, stat.ML cs.CV") into known and unknown codes. */
export function parseCategoryList(input: string): { known: string[]; unknown: string[] } {
  const known: string[] = [];
  const unknown: string[] = [];
  for (const raw of input.split(/[\s,;+]+/)) {
    const code = raw.trim();
    if (!code) continue;
    const list = isKnownCategory(code) ? known : unknown;
    if (!list.includes(code)) list.push(code);
  }
  return { known, unknown };
}
