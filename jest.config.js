/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
	// The e2e suite (real n8n in a child process) has its own config and command.
	testPathIgnorePatterns: ['/node_modules/', '/dist/', '/test/e2e/'],
};
