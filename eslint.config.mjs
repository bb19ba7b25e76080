// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.data/',
      'migrations/',
      // Owned by the console branch this round; brought under lint there.
      'scripts/start.js',
      'test/support/esm-to-cjs.transformer.js',
      'jest.config.js',
      'eslint.config.mjs',
      'bench/bare-nest/',
      // Vendored byte for byte from ../shared/bench.
      'bench/baseline/',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/explicit-function-return-type': ['warn', { allowExpressions: true, allowTypedFunctionExpressions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through AppConfig (src/config).' },
      ],
    },
  },
  {
    files: ['src/config/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // Tests drive the platform from outside: loose typing of HTTP bodies is fine there.
    files: ['test/**/*.ts', 'src/**/*.spec.ts'],
    rules: {
      'no-restricted-properties': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/explicit-function-return-type': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // The bench, measure, screenshot and migration scripts: TypeScript, typed and linted like
    // the rest; they read their own settings from the environment (BENCH_REDIS_URL, ...).
    files: ['scripts/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // scripts/build.js runs before anything is compiled: plain Node JavaScript.
    files: ['scripts/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/explicit-function-return-type': 'off',
      'no-restricted-properties': 'off',
    },
    languageOptions: {
      sourceType: 'commonjs',
      parserOptions: { projectService: false },
      globals: Object.fromEntries(['require', 'module', '__dirname', 'process', 'console'].map((name) => [name, 'readonly'])),
    },
  },
  {
    // The public pages' browser scripts: plain JavaScript served as is, no type information.
    files: ['src/pages/assets/**/*.js', 'src/console/assets/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/explicit-function-return-type': 'off' },
    languageOptions: {
      sourceType: 'script',
      parserOptions: { projectService: false },
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'navigator',
          'fetch',
          'crypto',
          'TextEncoder',
          'btoa',
          'URL',
          'FormData',
          'ResizeObserver',
          'setInterval',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
);
