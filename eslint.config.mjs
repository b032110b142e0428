import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-packages/**', 'node_modules/**', 'coverage/**', 'assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        __dirname: 'readonly',
        console: 'readonly',
      },
    },
    rules: {
      // Sanitisers and protocol patterns match control characters on purpose.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'child_process',
              message: 'Spawn processes through common/shell.ts (the one shell seam).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['common/shell.ts', '__tests__/**/*.ts', 'lab/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['host/policy/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'fs',
                'node:*',
                'child_process',
                'zx',
                '../proxmox/*',
                '../transport/*',
                '../checks/*',
                '../sequence/*',
                '../state/*',
              ],
              message: 'host/policy is pure: plain data and a clock in, plain data out.',
            },
          ],
        },
      ],
    },
  },
);
