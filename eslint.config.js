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
    files: ['cli/**/*.js', 'tools/**/*.js', '*.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
