import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from './tools/eslint-runtime-boundaries.js';

const root = import.meta.dirname;

export default tseslint.config(
  { ignores: ['node_modules/', '.tsbuild/', 'dist/', '.data/', 'test/fixtures/', '.stryker-tmp/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { minwon: boundaries },
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      'minwon/runtime-boundaries': ['error', { root }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The city store is async: a promise left unawaited is a write that may never happen, or a
    // check that is always true.
    files: ['server/**/*.ts', 'cli/**/*.ts', 'test/**/server/**/*.ts', 'test/helpers/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['cli/**/*.js', 'tools/**/*.js', '*.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
