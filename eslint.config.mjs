// Lint, including the import boundaries of the design card:
//   app/ imports no process folder; renderer/ only app/; native-workers/ never main/ or renderer/;
//   native-workers/cnn/ nothing environment-specific; only the thin Electron shell imports 'electron'.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = { group: ['node:*'], message: 'This layer must not use Node APIs.' };
const electron = {
  group: ['electron'],
  message:
    'Only the Electron shell (main/index.ts, windows, preload, register-ipc, app-protocol) imports electron.',
};
const layer = (name) => ({
  group: [`**/${name}/**`, `**/${name}`],
  message: `This layer must not import ${name}/.`,
});
const nativeDeps = {
  group: ['better-sqlite3', 'sharp'],
  message: 'Native modules belong to main/ and workers.',
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'native/**',
      'test-results/**',
      'native-workers/kernels/generated/**',
      'main/services/export/onnx/gen/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [electron] }],
    },
  },
  {
    files: ['app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electron,
            nodeBuiltins,
            nativeDeps,
            layer('main'),
            layer('renderer'),
            layer('native-workers'),
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        { patterns: [electron, nodeBuiltins, nativeDeps, layer('main'), layer('native-workers')] },
      ],
    },
  },
  {
    files: ['native-workers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, layer('main'), layer('renderer')] }] },
  },
  {
    files: ['native-workers/cnn/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [electron, nodeBuiltins, nativeDeps, layer('main'), layer('renderer'), layer('kernels')],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electron, layer('renderer')] }] },
  },
  {
    // The thin Electron shell: the only files that may import electron.
    files: [
      'main/index.ts',
      'main/preload/**/*.ts',
      'main/windows/**/*.ts',
      'main/ipc/register-ipc.ts',
      'main/protocol/app-protocol.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [layer('renderer')] }] },
  },
  {
    // The CommonJS launcher that package.json "bin" points at.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.{js,mjs,ts}', '*.config.{ts,mjs,mts}'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
