import { sleep } from 'n8n-workflow';

import seedEvent from '../fixtures/seed-event.json';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, useSandbox } from '../helpers/sandbox';
import { N8nCli, randomPort } from '../../tools/n8n/cli';
import * as workflows from '../../tools/n8n/workflows';

/**
 * What a person does in the editor, through the same REST calls the editor makes against a running
 * `n8n start` (the setup `npm start` gives a newcomer): create the owner, test the credential, open
 * the contact attribute picker, run the seed example.
 */
describe('Brevo Event in a running n8n (editor flows)', () => {
	const sandbox = useSandbox();
	let n8n: N8nCli;
	let server: { url: string; stop: () => Promise<unknown> };
	let cookie = '';

	const rest = async (method: string, path: string, body?: unknown) => {
		const response = await fetch(`${server.url}/rest${path}`, {
			method,
			headers: { 'content-type': 'application/json', 'browser-id': 'e2e-browser', cookie },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = response.headers.get('set-cookie');
		if (setCookie) cookie = setCookie.split(';')[0];
		return {
			status: response.status,
			body: (await response.json()) as { data?: Record<string, unknown> },
		};
	};

	beforeAll(async () => {
		n8n = new N8nCli();
		n8n.installPackage();
		await n8n.importCredentials(
			workflows.credentials(sandbox.baseUrl, SANDBOX_API_KEY, testKeys.wrong),
		);
		await n8n.importWorkflows([workflows.seedExample()]);
		server = await n8n.startServer(randomPort());
		const owner = await rest('POST', '/owner/setup', {
			email: 'owner@example.com',
			firstName: 'Local',
			lastName: 'Owner',
			password: testKeys.ownerPassword,
		});
		expect(owner.status).toBe(200);
	}, 15 * 60_000);
	afterAll(async () => {
		await server?.stop();
		n8n?.cleanup();
	});

	const testCredential = async (apiKey: string) =>
		await rest('POST', '/credentials/test', {
			credentials: {
				id: 'brevoSandbox0001',
				name: 'Brevo sandbox',
				type: 'brevoApi',
				data: { apiKey, baseUrl: sandbox.baseUrl },
			},
		});

	test('"Test credential" calls GET /account with the key: OK for the right key, the node’s explanation for a wrong one', async () => {
		expect((await testCredential(SANDBOX_API_KEY)).body.data).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect((await testCredential(testKeys.wrong)).body.data).toMatchObject({
			status: 'Error',
			message: expect.stringContaining('Brevo refused this API key (401). Use a v3 API key'),
		});
		const accountCalls = sandbox.requests().filter((r) => r.route === 'GET /account');
		expect(accountCalls[0]).toMatchObject({ status: 200, apiKey: true });
		expect(accountCalls.slice(1).every((r) => r.status === 401)).toBe(true);
	});

	test('the contact attribute picker lists the account attributes with their types', async () => {
		const { status, body } = await rest('POST', '/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: 'n8n-nodes-brevo-event.brevoEvent', version: 1 },
			path: 'parameters.contactProperties.property[0].name',
			methodName: 'getContactAttributes',
			currentNodeParameters: {
				resource: 'event',
				operation: 'create',
				specifyContactProperties: 'keypair',
			},
			credentials: { brevoApi: { id: 'brevoSandbox0001', name: 'Brevo sandbox (127.0.0.1)' } },
		});
		expect(status).toBe(200);
		const names = (body.data as unknown as Array<{ name: string }>).map((o) => o.name);
		expect(names).toContain('AGE (float)');
		expect(names).toContain('INTERESTS (multiple-choice)');
	});

	test('running the seed example from the editor stores the seed event in the sandbox', async () => {
		const workflow = await rest('GET', '/workflows/brevoSeedExample');
		const workflowData = workflow.body.data as { nodes: Array<{ name: string }> };
		const run = await rest('POST', '/workflows/brevoSeedExample/run', {
			workflowData,
			triggerToStartFrom: { name: workflowData.nodes[0].name },
		});
		expect(run.status).toBe(200);
		for (let waited = 0; sandbox.stored().length === 0 && waited < 20_000; waited += 250) {
			await sleep(250);
		}
		expect(JSON.stringify(sandbox.stored()[0]?.event)).toBe(JSON.stringify(seedEvent));
	});
});
