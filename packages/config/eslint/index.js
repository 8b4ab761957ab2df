import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * Shared lint rules. Beyond the recommended sets: `process.env` only in each app's env module and the orchestration
 * scripts; services never import tRPC (they are reused by the worker and Socket.IO).
 */
export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/build/**', '**/dist/**', '**/.data/**', '**/migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read env only in the app env module (env.ts) and pass values in.',
        },
      ],
    },
  },
  {
    files: [
      'vitest.config.ts',
      'apps/web/server/env.ts',
      'apps/worker/src/env.ts',
      'packages/db/src/cli/env.ts',
      'scripts/**',
      'bench/**',
      '**/tests/**',
      '**/*.test.ts',
      '**/testing/**',
      'packages/db/src/embedded.ts',
      'packages/db/src/cli/test-cluster.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['packages/api/src/services/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@trpc/*'], message: 'Services are transport-agnostic: throw AppError, never import tRPC.' },
          ],
        },
      ],
    },
  },
)
