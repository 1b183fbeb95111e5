/**
 * The popup's entry module. The boot script (popup-boot.js, in <head>) has painted the worker's
 * preview of Today's first screenful when there is one; the app — Preact and the components — is
 * loaded only once that frame is on screen, so that neither its loading nor its evaluation competes
 * with painting it (issue 17), or as soon as the boot script has found nothing to paint. Without the
 * boot script (it failed to load), the app loads at once and asks for everything itself.
 */
performance.mark('hp:popup-start');

import { takeBootPaint } from '../../lib/popup/boot';
import './style.css';

const painting = takeBootPaint(globalThis as unknown as Record<string, unknown>) ?? Promise.resolve(undefined);
void painting.then((painted) => import('./start').then(({ start }) => start(painted)));
