import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The built package as n8n loads it: the `n8n` section of package.json lists dist files that
 * exist, each exporting a class named like its file (n8n's loader derives the class name from the
 * file name), and index.js gives programmatic access to the same classes. Needs `npm run build`.
 */
const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('the built package', () => {
	test.each([...pkg.n8n.nodes, ...pkg.n8n.credentials])('%s exists and exports its class', (file: string) => {
		const full = path.join(root, file);
		expect(existsSync(full)).toBe(true);
		const className = path.basename(file).split('.')[0];
		const exported = jest.requireActual(full)[className];
		expect(typeof exported).toBe('function');
	});

	test('index.js exports the node and the credential', () => {
		const { BrevoEvent, BrevoApi } = jest.requireActual(path.join(root, 'index.js'));
		expect(new BrevoEvent().description.name).toBe('brevoEvent');
		expect(new BrevoApi().name).toBe('brevoApi');
	});

	test('icons and codex are next to the compiled node', () => {
		for (const file of ['brevo.svg', 'brevo.dark.svg', 'BrevoEvent.node.json']) {
			expect(existsSync(path.join(root, 'dist/nodes/BrevoEvent', file))).toBe(true);
		}
	});

	test('no runtime dependencies; n8n-workflow is the only peer', () => {
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});
});
