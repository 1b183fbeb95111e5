/**
 * Vitest setup (every test file): the English messages the extension ships, as
 * browser.i18n.getMessage gives them in the browser, so tests read the words a user reads.
 * A test that installs another source (a pseudo-locale) puts this one back afterwards.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setMessageSource, sourceFromMessages, type MessageEntry } from '../lib/i18n';

// Paths from the project root (vitest's cwd): under happy-dom, import.meta.url is not a file URL.
const EN = JSON.parse(readFileSync(join(process.cwd(), 'public/_locales/en/messages.json'), 'utf8')) as Record<string, MessageEntry>;

setMessageSource(sourceFromMessages(EN));
