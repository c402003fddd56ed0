/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	// The e2e, queue-mode and browser suites (real n8n in child processes) have their own configs
	// and commands.
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/', '/test/queue/', '/test/browser/'],
};
