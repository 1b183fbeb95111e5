import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  test: {
    include: ['test/unit/**/*.test.ts', 'test/unit/**/*.test.tsx', 'test/dom/**/*.test.ts', 'test/dom/**/*.test.tsx'],
    setupFiles: ['fake-indexeddb/auto', 'test/setup-english.ts'],
    environment: 'node',
  },
});
