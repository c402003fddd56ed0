// Lint rules for the benchmark, a plain Node.js program like the tools: see tools/eslint.config.mjs.
import js from '@eslint/js';
import globals from 'globals';

export default [
	{
		files: ['**/*.js'],
		...js.configs.recommended,
		languageOptions: { sourceType: 'commonjs', globals: globals.node },
	},
	{
		files: ['**/*.mjs'],
		...js.configs.recommended,
		languageOptions: { sourceType: 'module', globals: globals.node },
	},
];
