/** Queue-mode test: PostgreSQL, Redis, an n8n main and two workers (child processes), minutes long. */
/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['**/*.queue.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	testTimeout: 15 * 60_000,
	maxWorkers: 1,
};
