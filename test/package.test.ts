import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The built package as n8n loads it: the `n8n` section of package.json lists dist files that
 * exist, each exporting a class named like its file (n8n's loader derives the class name from the
 * file name), and index.js gives programmatic access to the same classes. Needs `npm run build`.
 */
const root = path.resolve(__dirname, '..');
const exists = (relative: string) => existsSync(path.join(root, relative));
// require(), as n8n's loader does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (relative: string) => require(path.join(root, relative));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

describe('the built package', () => {
	test.each([...pkg.n8n.nodes, ...pkg.n8n.credentials])(
		'%s exists and exports its class',
		(file: string) => {
			expect(exists(file)).toBe(true);
			const className = file.split('/').pop()!.split('.')[0];
			expect(typeof load(file)[className]).toBe('function');
		},
	);

	test('index.js exports the node and the credentials', () => {
		const { BrevoEvent, BrevoApi, BrevoOAuth2Api } = load('index.js');
		expect(new BrevoEvent().description.name).toBe('brevoEvent');
		expect(new BrevoApi().name).toBe('brevoApi');
		expect(new BrevoOAuth2Api().name).toBe('brevoOAuth2Api');
	});

	test('icons and codex are next to the compiled node', () => {
		for (const file of ['brevo.svg', 'brevo.dark.svg', 'BrevoEvent.node.json']) {
			expect(exists(`dist/nodes/BrevoEvent/${file}`)).toBe(true);
		}
	});

	test('no runtime dependencies; n8n-workflow is the only peer', () => {
		expect(pkg.dependencies).toBeUndefined();
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});
});
