import { defineConfig } from 'vitest/config';
import base from '../../vitest.config';

/**
 * The tests Stryker runs against each mutant: the unit tests, which run the guarded code in this
 * process. Integration tests reach much of it through a child process (the city server, the CLI),
 * where no mutant is active, and each of their runs starts servers: run per mutant, they made a
 * full run take hours on 2 cores. (Not mergeConfig: it appends to the base include list.)
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/unit/**/*.test.ts'],
  },
});
