/** End-to-end tests: a real n8n (child processes) running this package against the Brevo sandbox. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	// The first run installs n8n into a cache folder (minutes); each `n8n execute` boots n8n (seconds).
	testTimeout: 120_000,
	maxWorkers: 1,
};
