import fs from 'node:fs';
import path from 'node:path';

import { eventually, shows } from './expect-page';
import {
	choose,
	closeNode,
	dragField,
	launchBrowser,
	openNode,
	parameter,
	pinItems,
	restInPage,
	Screenshots,
	signIn,
	type Browser,
} from './editor';
import type { Locator } from 'playwright-core';
import { BrevoApi } from '../../credentials/BrevoApi.credentials';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, startSandbox, type Sandbox } from '../helpers/sandbox';
import { N8nCli, packPackage, PACKAGE_NAME } from '../e2e/n8n/cli';
import { ROOT } from '../e2e/n8n/install';
import * as workflows from '../e2e/n8n/workflows';
import { LocalRegistry } from './registry/local-registry';
import { networkInterfaces } from './registry/private-network';
import { seededCredentials } from '../sandbox/start';
import seedEvent from '../fixtures/seed-event.json';

const OWNER = { email: 'owner@example.com', password: testKeys.ownerPassword };
const VERSION = (
	JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
		version: string;
	}
).version;

/**
 * What a user does in n8n's editor, in headless Chromium against the pinned n8n 2.41.1: install the
 * package from the community-nodes panel, create the credential, build a workflow by drag and drop,
 * get an error right, send 500 events in batches. Each journey checks what the page shows and what
 * the Brevo sandbox received. The journeys build on one another (one n8n, one workflow), in order.
 *
 * Runs inside test/browser/registry/private-network.js (`npm run test:browser`): only a loopback
 * interface, registry.npmjs.org sent to a local Verdaccio holding this package's `npm pack`
 * tarball, so the panel's real install runs and nothing leaves the machine.
 */
describe('the user journeys in n8n’s editor', () => {
	let registry: LocalRegistry;
	let sandbox: Sandbox;
	let n8n: N8nCli;
	let server: { url: string; stop: () => Promise<unknown> };
	let browser: Browser;
	let shots: Screenshots;

	const page = () => browser.page;
	const attributeRequests = () =>
		sandbox.requests().filter((r) => r.route === 'GET /contacts/attributes');
	const eventRequests = () => sandbox.requests().filter((r) => r.route.startsWith('POST /events'));
	/** The requests of the editor's "test credential" (GET /events?limit=1). */
	const credentialTests = () =>
		sandbox.requests().filter((r) => r.route === 'GET /events' && r.query === '?limit=1');

	/** A test that leaves a screenshot of the page behind when it fails. */
	const journey = (name: string, run: () => Promise<void>) =>
		test(name, async () => {
			try {
				await run();
			} catch (error) {
				await shots?.take(`failed-${name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
				// Close what the failed journey left open, so that the next one starts from the canvas.
				for (let i = 0; i < 2; i++) await browser?.page.keyboard.press('Escape').catch(() => {});
				throw error;
			}
		});

	beforeAll(async () => {
		if (process.env.BREVO_PRIVATE_NETWORK !== '1')
			throw new Error('Run the browser tests with `npm run test:browser` (a private network)');
		registry = await new LocalRegistry().start();
		await registry.publish(packPackage(registry.dir));
		sandbox = await startSandbox();
		n8n = new N8nCli({ env: registry.clientEnv() });
		server = await n8n.startServer({ editor: true, timeoutMs: 240_000 });
		const owner = await fetch(`${server.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'browser-id': 'browser-tests' },
			body: JSON.stringify({ ...OWNER, firstName: 'Local', lastName: 'Owner' }),
		});
		expect(owner.status).toBe(200);
		browser = await launchBrowser(server.url);
		shots = new Screenshots(browser.page);
	}, 10 * 60_000);

	afterAll(async () => {
		await browser?.close();
		await server?.stop();
		n8n?.cleanup();
		await sandbox?.server.stop();
		await registry?.stop();
	});

	journey('nothing can leave: the only network interface is loopback', async () => {
		expect(networkInterfaces()).toEqual(['lo']);
		// The local registry holds this package and nothing else: it never asks the real registry.
		expect((await registry.get('/left-pad')).status).toBe(404);
		const published = await registry.get(`/${PACKAGE_NAME}`);
		expect(Object.keys(published.body.versions)).toEqual([VERSION]);
	});

	journey(
		'1. Settings → Community Nodes → Install: the node appears in the nodes panel',
		async () => {
			const p = page();
			await signIn(p, OWNER.email, OWNER.password);
			await p.goto('/settings/community-nodes');
			await p.getByRole('button', { name: 'Install a community node' }).click();
			const modal = p.getByTestId('communityPackageInstall-modal');
			await p.getByTestId('package-name-input').fill(PACKAGE_NAME);
			await p.getByTestId('user-agreement-checkbox').click();
			await p.getByTestId('install-community-package-button').click();
			// n8n runs `npm pack` against https://registry.npmjs.org (the local registry here), then
			// `npm install` in the unpacked package.
			await modal.waitFor({ state: 'hidden', timeout: 180_000 });
			const card = p.getByTestId('community-package-card');
			await shows(card, PACKAGE_NAME);
			await shows(card, 'Brevo Event');
			await shows(card, `v${VERSION}`);
			await shots.take('community-nodes');

			// What n8n installed is this build: the tarball published to the local registry.
			const installed = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
			const nodeFile = path.join('dist', 'nodes', 'BrevoEvent', 'BrevoEvent.node.js');
			expect(fs.readFileSync(path.join(installed, nodeFile), 'utf8')).toBe(
				fs.readFileSync(path.join(ROOT, nodeFile), 'utf8'),
			);

			await p.goto('/workflow/new');
			await p.getByTestId('canvas-plus-button').click();
			await p.getByTestId('node-creator-search-bar').fill('Brevo Event');
			await p
				.getByTestId('node-creator-item-name')
				.filter({ hasText: 'Brevo Event' })
				.first()
				.waitFor();
			await p.keyboard.press('Escape');
		},
	);

	journey(
		'2. Credential "Brevo API": a wrong key is explained, the sandbox key connects',
		async () => {
			const p = page();
			await p.goto('/home/credentials');
			await p.getByTestId('add-resource-credential').click();
			await p.getByTestId('new-credential-type-select').click();
			await p.keyboard.type('Brevo API');
			await p.getByRole('option', { name: 'Brevo API', exact: true }).click();
			await p.getByTestId('new-credential-type-button').click();
			const modal = p.getByTestId('editCredential-modal');
			await parameter(modal, 'apiKey').locator('input').fill(testKeys.wrong);
			await parameter(modal, 'baseUrl').locator('input').fill(sandbox.baseUrl);
			await modal.getByTestId('credential-save-button').click();
			await shows(modal, 'Couldn’t connect with these settings');
			await modal.getByText('More details').click();
			// The credential's own explanation, not n8n's bare "Unauthorized".
			await shows(modal, String(new BrevoApi().test.rules?.[0].properties.message));
			expect(credentialTests().at(-1)).toMatchObject({ status: 401, apiKey: false });

			await parameter(modal, 'apiKey').locator('input').fill(SANDBOX_API_KEY);
			await modal.getByTestId('credential-save-button').click();
			await shows(modal, 'Connection tested successfully');
			await shots.take('credential', modal);
			expect(credentialTests().at(-1)).toMatchObject({ status: 200, apiKey: true });
			// The key is masked in the page, and never shown back.
			expect(await modal.textContent()).not.toContain(SANDBOX_API_KEY);
			await p.keyboard.press('Escape');
			await modal.waitFor({ state: 'hidden' });
		},
	);

	journey(
		'the attribute picker: a panel with four contact property rows asks Brevo once',
		async () => {
			const p = page();
			// Brevo's own example (4 contact property rows), with the credential made above.
			const credentials = await restInPage<Array<{ id: string; name: string; type: string }>>(
				p,
				'GET',
				'/credentials',
			);
			const credential = credentials.data.find((c) => c.type === 'brevoApi')!;
			// Without its fixed id: n8n gives the new workflow one.
			const seed = { ...workflows.seedExample(), id: undefined };
			for (const node of seed.nodes as Array<{ credentials?: object }>)
				if (node.credentials) node.credentials = { brevoApi: credential };
			const created = await restInPage<{ id: string }>(p, 'POST', '/workflows', seed);
			expect(created.status).toBe(200);

			sandbox.server.reset();
			const editorAsked: string[] = [];
			p.on('request', (request) => {
				if (request.url().endsWith('/rest/dynamic-node-parameters/options'))
					editorAsked.push(String(request.postDataJSON()?.path));
			});
			await p.goto(`/workflow/${created.data.id}`);
			const ndv = await openNode(p, 'Brevo Event');
			const names = ndv
				.getByTestId('fixed-collection-contactProperties')
				.getByTestId('parameter-input-name')
				.locator('input');
			// Each row's name shows its label once the picker's options have loaded.
			await eventually(
				async () =>
					await names.evaluateAll((inputs) =>
						inputs.map((i) => (i as unknown as { value: string }).value),
					),
				['FIRSTNAME (text)', 'LASTNAME (text)', 'AGE (float)', 'GENDER (category)'],
			);
			// The editor asks once per row; the node asks Brevo once for all of them.
			expect(editorAsked).toHaveLength(4);
			expect(attributeRequests()).toHaveLength(1);
			p.removeAllListeners('request');
			await closeNode(p);
		},
	);

	journey('3. Build by drag and drop: the mapped values reach Brevo, typed', async () => {
		const p = page();
		sandbox.server.reset();
		await p.goto('/workflow/new');
		await p.getByTestId('canvas-plus-button').click();
		await p.getByTestId('node-creator-item-name').filter({ hasText: 'Trigger manually' }).click();
		await openNode(p, 'When clicking');
		// Items as they come from a form or a spreadsheet: every value a string.
		await pinItems(p, [
			{
				email: 'jane.doe@example.com',
				title: 'Brevo — The most approachable CRM suite',
				seconds: '142',
				age: '32',
			},
		]);
		await closeNode(p);

		await p.getByTestId('canvas-handle-plus').first().click();
		await p.getByTestId('node-creator-search-bar').fill('Brevo Event');
		await p
			.getByTestId('node-creator-item-name')
			.filter({ hasText: 'Brevo Event' })
			.first()
			.click();
		await p.getByTestId('node-creator').getByText('Create an event').click();
		const ndv = p.getByTestId('ndv');
		await ndv.waitFor();
		// The credential made in journey 2 is picked by itself.
		await eventually(
			async () => await ndv.getByTestId('node-credentials-select').locator('input').inputValue(),
			'Brevo account',
		);

		await parameter(ndv, 'eventName').locator('input').fill('video_played');
		await ndv.getByPlaceholder('Add Identifier').click();
		await p.getByRole('option', { name: 'Email', exact: true }).click();
		await dragField(p, 'email', parameter(ndv, 'emailId'));
		await shows(parameter(ndv, 'emailId'), '{{ $json.email }}');

		await choose(p, parameter(ndv, 'specifyContactProperties'), 'Using Fields Below');
		await ndv.getByRole('button', { name: 'Add Attribute' }).click();
		const contact = ndv.getByTestId('fixed-collection-contactProperties');
		await choose(p, parameter(contact, 'name'), 'AGE (float)');
		await choose(p, parameter(contact, 'type'), 'Number');
		await dragField(p, 'age', parameter(contact, 'value'));
		await shows(parameter(contact, 'value'), '{{ $json.age }}');

		await choose(p, parameter(ndv, 'specifyEventProperties'), 'Using Fields Below');
		await ndv.getByRole('button', { name: 'Add Property' }).click();
		const event = ndv.getByTestId('fixed-collection-eventProperties');
		await parameter(event, 'name').locator('input').fill('duration');
		await choose(p, parameter(event, 'type'), 'Number');
		await dragField(p, 'seconds', parameter(event, 'value'));
		await shows(parameter(event, 'value'), '{{ $json.seconds }}');
		await p.mouse.click(5, 5); // let the expression preview close
		await ndv
			.getByTestId('parameter-item')
			.filter({ has: parameter(p, 'eventName') })
			.first()
			.evaluate((e) => e.scrollIntoView({ block: 'start' }));
		await shots.take('mapped-fields', ndv);
		expect(eventRequests()).toHaveLength(0);

		await ndv.getByTestId('node-execute-button').click();
		const output = ndv.getByTestId('output-panel');
		await shows(output, '1 item');
		await shows(output, 'stored');
		await shows(output, '204');
		await output.getByTestId('radio-button-json').click();
		await shows(output, '"duration": 142');
		await shots.take('output', ndv);
		expect(sandbox.stored().map((s) => s.event)).toEqual([
			{
				event_name: 'video_played',
				identifiers: { email_id: 'jane.doe@example.com' },
				contact_properties: { AGE: 32 },
				event_properties: { duration: 142 },
			},
		]);

		await closeNode(p);
		const node = p.getByTestId('canvas-node').filter({ hasText: 'Create an event' });
		expect(await node.getAttribute('data-node-type')).toBe('n8n-nodes-brevo-event.brevoEvent');
		await shots.takeAround('canvas', p.getByTestId('canvas-node'));
	});

	journey(
		'4. Bad input: the error names the item and the field, nothing is sent; with the error output the item goes there',
		async () => {
			const p = page();
			sandbox.server.reset();
			const ndv = await openNode(p, 'Create an event');
			await parameter(ndv, 'eventName').locator('input').fill('video played');
			await ndv.getByTestId('node-execute-button').click();
			const output = ndv.getByTestId('output-panel');
			await shows(output, /Event Name.*item \d|item \d.*Event Name/);
			await shows(output, '"video played"');
			await shots.take('error', ndv);
			expect(eventRequests()).toHaveLength(0);

			await ndv.getByText('Settings', { exact: true }).click();
			await choose(p, parameter(ndv, 'onError'), 'Continue (using error output)');
			await ndv.getByTestId('node-execute-button').click();
			await output.getByTestId('branches').waitFor();
			await shows(output.getByTestId('branches'), /Error Branch \(1 item\)/);
			expect(await output.getByTestId('tab-0').innerText()).not.toMatch(/\(\d+ items?\)/);
			await output.getByTestId('tab-1').click();
			await shows(output.getByTestId('ndv-data-container'), 'Event Name');
			expect(eventRequests()).toHaveLength(0);
			await ndv.getByText('Parameters', { exact: true }).click();
			await closeNode(p);
		},
	);

	journey('5. Batch mode: 500 items give 500 output items, in 3 requests', async () => {
		const p = page();
		sandbox.server.reset();
		await openNode(p, 'When clicking');
		const items = Array.from({ length: 500 }, (_, i) => ({
			email: `viewer${i + 1}@example.com`,
			title: `Video ${i + 1}`,
			seconds: String(60 + i),
			age: String(20 + (i % 50)),
		}));
		await pinItems(p, items);
		await closeNode(p);

		const ndv = await openNode(p, 'Create an event');
		await parameter(ndv, 'eventName').locator('input').fill('video_played');
		await ndv.getByPlaceholder('Add Option').click();
		await p.getByRole('option', { name: 'Send Mode' }).click();
		await choose(p, parameter(ndv, 'sendMode'), 'Batches of up to 200 Events');
		await ndv.getByTestId('node-execute-button').click();
		const output = ndv.getByTestId('output-panel');
		await shows(output.getByTestId('branches'), /Success Branch \(500 items\)/, 120_000);
		expect(await output.getByTestId('tab-1').innerText()).not.toMatch(/\(\d+ items?\)/);
		// The branch shown last (journey 4's error branch) stays selected: show the success one.
		await output.getByTestId('tab-0').click();
		await shows(output, 'queued');
		await shots.take('batch-output', ndv);

		expect(eventRequests().map((r) => `${r.route} ${r.status}`)).toEqual([
			'POST /events/batch 202',
			'POST /events/batch 202',
			'POST /events/batch 202',
		]);
		const stored = sandbox.stored().map((s) => s.event);
		expect(stored).toHaveLength(500);
		expect(stored.map((e) => (e.identifiers as { email_id: string }).email_id).sort()).toEqual(
			items.map((i) => i.email).sort(),
		);
		expect(
			stored.find(
				(e) => (e.identifiers as { email_id: string }).email_id === 'viewer500@example.com',
			),
		).toEqual({
			event_name: 'video_played',
			identifiers: { email_id: 'viewer500@example.com' },
			contact_properties: { AGE: 69 },
			event_properties: { duration: 559 },
		});
		await closeNode(p);
	});

	journey('6. Brevo Event Trigger: Fetch Test Event shows the newest matching event', async () => {
		const p = page();
		sandbox.server.reset();
		// Events recorded in Brevo by another system (a shop): the trigger reads them back.
		const recorded = await fetch(`${sandbox.server.url}/__sandbox/events`, {
			method: 'POST',
			body: JSON.stringify({
				events: [
					{
						event_name: 'cart_abandoned',
						identifiers: { contact_id: 41 },
						event_date: new Date(Date.now() - 60_000).toISOString(),
						event_properties: { cart_total: 12.5 },
					},
					{
						event_name: 'cart_abandoned',
						identifiers: { contact_id: 42 },
						event_properties: { cart_total: 59.9 },
					},
					{ event_name: 'page_viewed', identifiers: { contact_id: 43 } },
				],
			}),
		});
		expect(recorded.status).toBe(202);

		await p.goto('/workflow/new');
		await p.getByTestId('canvas-plus-button').click();
		await p.getByTestId('node-creator-search-bar').fill('Brevo Event Trigger');
		// Among triggers n8n lists it as "Brevo Event" (it drops "Trigger"), then offers its one
		// trigger as "On new Brevo Event event".
		await p
			.getByTestId('node-creator-item-name')
			.filter({ hasText: 'Brevo Event' })
			.first()
			.click();
		await p.getByTestId('node-creator').getByText('On new Brevo Event event').click();
		const ndv = p.getByTestId('ndv');
		await ndv.waitFor();
		// The credential made in journey 2 is picked by itself.
		await eventually(
			async () => await ndv.getByTestId('node-credentials-select').locator('input').inputValue(),
			'Brevo account',
		);
		await ndv.getByPlaceholder('Add Filter').click();
		await p.getByRole('option', { name: 'Event Names' }).click();
		await parameter(ndv, 'eventNames').locator('input').fill('cart_abandoned');
		const fetchTestEvent = ndv.getByTestId('node-execute-button');
		await shows(fetchTestEvent, 'Fetch Test Event');
		await fetchTestEvent.click();
		const output = ndv.getByTestId('output-panel');
		await shows(output, '1 item');
		await output.getByTestId('radio-button-json').click();
		await shows(output, '"event_name": "cart_abandoned"');
		await shows(output, '"cart_total": 59.9');
		await shots.take('trigger-test-event', ndv);
		// One read, newest first, no dates: a test fetch does not touch the trigger's position.
		const reads = sandbox
			.requests()
			.filter((r) => r.route === 'GET /events' && r.query !== '?limit=1'); // not credential tests
		expect(reads.map((r) => r.query)).toEqual(['?event_name=cart_abandoned&limit=1&offset=0']);
		await closeNode(p);
	});

	/**
	 * `npm start`'s credentials, imported the way it imports them, and nothing else: a newcomer's
	 * first Brevo Event node must get the working sandbox key without choosing anything. Runs last:
	 * it deletes the credential the journeys above made. Alone (`-t 'npm start'`) it signs in and
	 * installs the package itself.
	 */
	const asInNpmStart = async (p: ReturnType<typeof page>) => {
		await p.goto('/home/workflows');
		await p.waitForLoadState('networkidle');
		if (new URL(p.url()).pathname.startsWith('/signin'))
			await signIn(p, OWNER.email, OWNER.password);
		const packages = await restInPage<Array<{ packageName: string }>>(
			p,
			'GET',
			'/community-packages',
		);
		if (!packages.data.some((pkg) => pkg.packageName === PACKAGE_NAME)) {
			const installed = await restInPage(p, 'POST', '/community-packages', {
				name: PACKAGE_NAME,
			});
			expect(installed.status).toBe(200);
		}
		const existing = await restInPage<Array<{ id: string }>>(p, 'GET', '/credentials');
		for (const { id } of existing.data)
			expect((await restInPage(p, 'DELETE', `/credentials/${id}`)).status).toBe(200);
		await n8n.importCredentials(
			seededCredentials(sandbox.server.url, {
				apiKey: SANDBOX_API_KEY,
				clientId: testKeys.oauthClientId,
				clientSecret: testKeys.oauthClientSecret,
				eventsOnlyKey: testKeys.eventsOnly,
				expiredKey: testKeys.expired,
			}),
		);
		const seeded = await restInPage<Array<{ name: string }>>(p, 'GET', '/credentials');
		expect(seeded.data.map((c) => c.name).sort()).toEqual([
			'Brevo sandbox (127.0.0.1)',
			'Brevo sandbox OAuth2 (127.0.0.1)',
			'Demo: expired key (fails with 401)',
			'Demo: key restricted to events (no attribute list)',
		]);
	};

	/** A new workflow: a manual trigger, then Brevo Event → Create an event; its open panel. */
	const addBrevoEvent = async (p: ReturnType<typeof page>) => {
		await p.goto('/workflow/new');
		await p.getByTestId('canvas-plus-button').click();
		await p.getByTestId('node-creator-item-name').filter({ hasText: 'Trigger manually' }).click();
		await p.getByTestId('canvas-handle-plus').first().click();
		await p.getByTestId('node-creator-search-bar').fill('Brevo Event');
		await p
			.getByTestId('node-creator-item-name')
			.filter({ hasText: 'Brevo Event' })
			.first()
			.click();
		await p.getByTestId('node-creator').getByText('Create an event').click();
		const ndv = p.getByTestId('ndv');
		await ndv.waitFor();
		return ndv;
	};

	/**
	 * Types into a text parameter, then clicks the panel's Parameters tab: the mapping tip under the
	 * input would cover what follows (a click outside the panel would close it).
	 */
	const fillText = async (p: ReturnType<typeof page>, input: Locator, value: string) => {
		await input.locator('input').fill(value);
		await p.getByTestId('ndv').getByText('Parameters', { exact: true }).click();
	};

	const fillJson = async (p: ReturnType<typeof page>, input: Locator, value: unknown) => {
		const editor = input.locator('[contenteditable=true]');
		await editor.click();
		await p.keyboard.press('ControlOrMeta+a');
		await editor.fill(JSON.stringify(value));
	};

	journey(
		'npm start: a newcomer’s first Brevo Event node uses the sandbox key, and Brevo’s example is stored',
		async () => {
			const p = page();
			await asInNpmStart(p);
			sandbox.server.reset();
			const ndv = await addBrevoEvent(p);
			// Chosen by the editor, not by the user.
			await eventually(
				async () => await ndv.getByTestId('node-credentials-select').locator('input').inputValue(),
				'Brevo sandbox (127.0.0.1)',
			);

			// Brevo's example (test/fixtures/seed-event.json), typed in as a newcomer would.
			await fillText(p, parameter(ndv, 'eventName'), seedEvent.event_name);
			await ndv.getByPlaceholder('Add Identifier').click();
			await p.getByRole('option', { name: 'Email', exact: true }).click();
			await fillText(p, parameter(ndv, 'emailId'), seedEvent.identifiers.email_id);
			await ndv.getByPlaceholder('Add Identifier').click();
			await p.getByRole('option', { name: 'External ID', exact: true }).click();
			await fillText(p, parameter(ndv, 'extId'), seedEvent.identifiers.ext_id);
			await choose(p, parameter(ndv, 'specifyContactProperties'), 'Using JSON');
			await fillJson(p, parameter(ndv, 'contactPropertiesJson'), seedEvent.contact_properties);
			await choose(p, parameter(ndv, 'specifyEventProperties'), 'Using JSON');
			await fillJson(p, parameter(ndv, 'eventPropertiesJson'), seedEvent.event_properties);
			await ndv.getByText('Parameters', { exact: true }).click();

			await ndv.getByTestId('node-execute-button').click();
			const output = ndv.getByTestId('output-panel');
			await shows(output, '1 item');
			await shows(output, 'stored');
			expect(eventRequests().map((r) => `${r.route} ${r.status}`)).toEqual(['POST /events 204']);
			expect(sandbox.stored().map((s) => s.event)).toEqual([seedEvent]);
			await closeNode(p);
		},
	);

	journey(
		'npm start: switching to the expired key and back reports the 401, then why the picked Name is gone',
		async () => {
			const p = page();
			await asInNpmStart(p);
			sandbox.server.reset();
			const ndv = await addBrevoEvent(p);
			const credential = ndv.getByTestId('node-credentials-select');
			await eventually(
				async () => await credential.locator('input').inputValue(),
				'Brevo sandbox (127.0.0.1)',
			);
			await fillText(p, parameter(ndv, 'eventName'), 'video_played');
			await ndv.getByPlaceholder('Add Identifier').click();
			await p.getByRole('option', { name: 'Email', exact: true }).click();
			await fillText(p, parameter(ndv, 'emailId'), 'jane.doe@example.com');
			await choose(p, parameter(ndv, 'specifyContactProperties'), 'Using Fields Below');
			await ndv.getByRole('button', { name: 'Add Attribute' }).click();
			const contact = ndv.getByTestId('fixed-collection-contactProperties');
			const name = parameter(contact, 'name').locator('input');
			await choose(p, parameter(contact, 'name'), 'FIRSTNAME (text)');
			await fillText(p, parameter(contact, 'value'), 'Jane');
			const output = ndv.getByTestId('output-panel');
			const execute = async () => await ndv.getByTestId('node-execute-button').click();
			await execute();
			await shows(output, 'stored');
			expect(sandbox.stored().map((s) => s.event.contact_properties)).toEqual([
				{ FIRSTNAME: 'Jane' },
			]);

			// The expired key: the picker cannot read the list, and the editor empties the Name.
			sandbox.server.reset();
			await choose(p, credential, 'Demo: expired key (fails with 401)');
			await eventually(async () => /Error fetching options/.test(await name.inputValue()), true);
			await execute();
			await shows(output, 'API key expired');
			await shots.take('switched-to-expired-key', ndv);
			// The 401, not a field error; and nothing sent: the run stopped on the emptied Name (with
			// the Name kept, it would be POST /events that Brevo refused).
			expect(await output.getByText('Name is empty').count()).toBe(0);
			expect(eventRequests()).toEqual([]);

			// Back to the sandbox key: the list loads, the Name stays empty (n8n 2.41 does not restore it).
			await choose(p, credential, 'Brevo sandbox (127.0.0.1)');
			await eventually(async () => await name.inputValue(), '');
			sandbox.server.reset();
			await execute();
			await shows(output, 'Contact Properties › row 1 in item 0: Name is empty');
			await shows(output, /Pick the attribute again/);
			await shots.take('switched-back-name-empty', ndv);
			expect(sandbox.stored()).toEqual([]);

			await choose(p, parameter(contact, 'name'), 'FIRSTNAME (text)');
			await execute();
			await shows(output, 'stored');
			expect(sandbox.stored().map((s) => s.event.contact_properties)).toEqual([
				{ FIRSTNAME: 'Jane' },
			]);
			await closeNode(p);
		},
	);
});
