// ESLint (flat config): typescript-eslint's recommended rules over the TypeScript sources, the webview pages, the
// tests and the scripts, with type information for the promise rules (a promise is awaited, handled or voided on
// purpose, and never passed where a plain callback is expected).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.vscode-test/', 'test-output/', 'bench-output/', 'test/e2e/workspace/', 'media/scripts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: {
        // Each file with its tsconfig (tsconfig.json, webview/tsconfig.json); the JavaScript files outside both in a
        // default project of their own.
        projectService: {
          allowDefaultProject: ['*.mjs', 'scripts/*.mjs', 'scripts/lib/*.mjs', 'test/e2e/fake-python-extension/*.js'],
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['webview/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['test/e2e/fake-python-extension/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
);
