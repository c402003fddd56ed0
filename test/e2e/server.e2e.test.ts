import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { sleep } from 'n8n-workflow';

import seedEvent from '../fixtures/seed-event.json';
import { TEST_KEYS as testKeys } from '../helpers/keys';
import { SANDBOX_API_KEY, TOKEN_ROUTE, useSandbox } from '../helpers/sandbox';
import { BrevoApi } from '../../credentials/BrevoApi.credentials';
import { N8nCli } from './n8n/cli';
import { N8nServer } from './n8n/server';
import * as workflows from './n8n/workflows';

/**
 * What a person does in the editor, through the same REST calls the editor makes against a running
 * `n8n start` (the setup `npm start` gives a newcomer): create the owner, test the credential, open
 * the contact attribute picker, run the seed example.
 */
describe('Brevo Event in a running n8n (editor flows)', () => {
	const sandbox = useSandbox();
	let n8n: N8nCli;
	let server: N8nServer;
	const rest = async (method: string, path: string, body?: unknown) =>
		(await server.rest(method, path, body)) as {
			status: number;
			body: { data?: Record<string, unknown> };
		};

	beforeAll(async () => {
		n8n = new N8nCli();
		n8n.installPackage();
		await n8n.importCredentials([
			...workflows.credentials(sandbox.baseUrl, SANDBOX_API_KEY, testKeys.wrong),
			...workflows.authCredentials(sandbox.server.url, {
				clientId: testKeys.oauthClientId,
				clientSecret: testKeys.oauthClientSecret,
				eventsOnlyKey: testKeys.eventsOnly,
				expiredKey: testKeys.expired,
			}),
		]);
		await n8n.importWorkflows([workflows.seedExample(), workflows.mapperEditorExample()]);
		server = await N8nServer.start(n8n, { ownerPassword: testKeys.ownerPassword });
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

	test('"Test credential" calls GET /events?limit=1 with the key: OK for the right key, a clear refusal for a wrong one', async () => {
		expect((await testCredential(SANDBOX_API_KEY)).body.data).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect((await testCredential(testKeys.wrong)).body.data).toEqual({
			status: 'Error',
			message: new BrevoApi().test.rules?.[0].properties.message,
		});
		// n8n resends a refused credential test once (its generic credentials' 401 retry).
		const calls = sandbox.requests().map((r) => `${r.route}${r.query} ${r.status}`);
		expect(calls[0]).toBe('GET /events?limit=1 200');
		expect(new Set(calls.slice(1))).toEqual(new Set(['GET /events?limit=1 401']));
	});

	test('"Test credential" does not follow a redirect: the other server receives nothing, the test fails', async () => {
		let reached = 0;
		const other = createServer((_req, res) => {
			reached++;
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"events":[]}');
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		try {
			const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}/v3/events`;
			await sandbox.configure({ faults: { 'GET /events': [`redirect:${target}`] } });
			const { data } = (await testCredential(SANDBOX_API_KEY)).body;
			expect(data?.status).toBe('Error');
			expect(reached).toBe(0);
			expect(sandbox.requests()[0].status).toBe(307);
		} finally {
			await new Promise((resolve) => other.close(resolve));
		}
	});

	test('"Test credential" passes for a key restricted to events, and says so when a key expired', async () => {
		expect((await testCredential(testKeys.eventsOnly)).body.data).toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect((await testCredential(testKeys.expired)).body.data).toEqual({
			status: 'Error',
			message: expect.stringContaining('wrong, expired or revoked'),
		});
		const answers = sandbox.requests().map((r) => `${r.status} ${r.error ?? ''}`.trim());
		expect(answers[0]).toBe('200');
		expect(new Set(answers.slice(1))).toEqual(new Set(['401 API key expired']));
	});

	test('"Test credential" of the OAuth2 credential: n8n fetches a token and reads GET /events with it', async () => {
		const [oauth2] = workflows.authCredentials(sandbox.server.url, {
			clientId: testKeys.oauthClientId,
			clientSecret: testKeys.oauthClientSecret,
			eventsOnlyKey: testKeys.eventsOnly,
			expiredKey: testKeys.expired,
		});
		const { body } = await rest('POST', '/credentials/test', {
			credentials: { id: oauth2.id, name: oauth2.name, type: oauth2.type, data: oauth2.data },
		});
		expect(body.data).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(sandbox.requests().map((r) => `${r.route} ${r.status} ${r.auth ?? ''}`.trim())).toEqual([
			TOKEN_ROUTE + ' 200',
			'GET /events 200 bearer',
		]);
	});

	test.each([
		[
			'a plain http:// token URL to a non-local host',
			'header',
			/^Refused: the Access Token URL must start with https:\/\//,
		],
		[
			'Authentication Body to a token URL that is not Brevo',
			'body',
			/^Refused: with Authentication Body, the Access Token URL must be Brevo's/,
		],
	])(
		'"Test credential" of the OAuth2 credential refuses %s before any token request',
		async (_, authentication, message) => {
			const [oauth2] = workflows.authCredentials(sandbox.server.url, {
				clientId: testKeys.oauthClientId,
				clientSecret: testKeys.oauthClientSecret,
				eventsOnlyKey: testKeys.eventsOnly,
				expiredKey: testKeys.expired,
			});
			// 127.0.0.1 written as a non-local host (the rule does not know it), or an https proxy.
			const accessTokenUrl =
				authentication === 'body'
					? 'https://token-proxy.example.invalid/token'
					: `${sandbox.server.url.replace('127.0.0.1', '[::ffff:127.0.0.1]')}/realms/partner/oauth/token`;
			const { body } = await rest('POST', '/credentials/test', {
				credentials: {
					id: oauth2.id,
					name: oauth2.name,
					type: oauth2.type,
					data: { ...oauth2.data, accessTokenUrl, authentication },
				},
			});
			expect(body.data?.status).toBe('Error');
			// n8n shows the refusal inside toDateTime()'s wording: the only error an expression may raise.
			expect(String(body.data?.message).replace(/^Unsupported format '/, '')).toMatch(message);
			expect(sandbox.requests()).toEqual([]);
		},
	);

	test('the contact attribute picker lists the account attributes with their types', async () => {
		const { status, body } = await rest('POST', '/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: 'n8n-nodes-brevo-event.brevoEvent', version: 1 },
			path: 'parameters.contactProperties.property[0].name',
			methodName: 'getContactAttributes',
			// The editor sends every parameter of the node, defaults included (n8n decides from
			// `authentication` which credential the node may use).
			currentNodeParameters: {
				authentication: 'apiKey',
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

	test('"Map Each Attribute": the resource mapper lists the account attributes with their types, one request per opening', async () => {
		const before = sandbox.requests().length;
		const { status, body } = await rest('POST', '/dynamic-node-parameters/resource-mapper-fields', {
			nodeTypeAndVersion: { name: 'n8n-nodes-brevo-event.brevoEvent', version: 1 },
			path: 'parameters.contactAttributes',
			methodName: 'getContactAttributeFields',
			currentNodeParameters: {
				authentication: 'apiKey',
				resource: 'event',
				operation: 'create',
				specifyContactProperties: 'mapper',
			},
			credentials: { brevoApi: { id: 'brevoSandbox0001', name: 'Brevo sandbox (127.0.0.1)' } },
		});
		expect(status).toBe(200);
		const fields = (body.data as unknown as { fields: Array<Record<string, unknown>> }).fields;
		expect(fields.map((f) => [f.displayName, f.type])).toEqual([
			['AGE (float)', 'number'],
			['BIRTHDAY (date)', 'dateTime'],
			['CUSTOMER_ID (id)', 'string'],
			['FIRSTNAME (text)', 'string'],
			['GENDER (category)', 'options'],
			['INTERESTS (multiple-choice)', 'string'],
			['LANGUAGE (category)', 'options'],
			['LASTNAME (text)', 'string'],
			['VIP (boolean)', 'boolean'],
		]);
		expect(
			sandbox
				.requests()
				.slice(before)
				.map((r) => r.route),
		).toEqual(['GET /contacts/attributes']);

		// As the editor saves it: the fetched schema, values typed in the mapper's inputs; then run.
		const workflow = await rest('GET', '/workflows/brevoMapperEditor');
		const workflowData = workflow.body.data as {
			nodes: Array<{ name: string; parameters: Record<string, unknown> }>;
		};
		const node = workflowData.nodes.find((n) => n.name === 'Brevo Event')!;
		node.parameters.contactAttributes = {
			mappingMode: 'defineBelow',
			// A category's input offers its options by label and stores their values, as sent.
			value: { AGE: 33, VIP: true, GENDER: 2, LANGUAGE: 'fr', INTERESTS: 'video, audio' },
			matchingColumns: [],
			schema: fields,
			attemptToConvertTypes: false,
			convertFieldsToString: false,
		};
		const saved = await rest('PATCH', '/workflows/brevoMapperEditor', workflowData);
		expect(saved.status).toBe(200);
		sandbox.server.reset();
		const run = await rest('POST', '/workflows/brevoMapperEditor/run', {
			workflowData,
			triggerToStartFrom: { name: workflowData.nodes[0].name },
		});
		expect(run.status).toBe(200);
		for (let waited = 0; sandbox.stored().length === 0 && waited < 30_000; waited += 250) {
			await sleep(250);
		}
		expect(sandbox.stored()[0]?.event).toMatchObject({ event_name: 'profile_updated' });
		expect(sandbox.stored()[0]?.event.contact_properties).toStrictEqual({
			AGE: 33,
			VIP: true,
			GENDER: 2,
			LANGUAGE: 'fr',
			INTERESTS: ['video', 'audio'],
		});
	});

	const pickAttributes = async (
		credentials: Record<string, { id: string; name: string }>,
		parameters: Record<string, unknown> = {},
	) =>
		await rest('POST', '/dynamic-node-parameters/options', {
			nodeTypeAndVersion: { name: 'n8n-nodes-brevo-event.brevoEvent', version: 1 },
			path: 'parameters.contactProperties.property[0].name',
			methodName: 'getContactAttributes',
			currentNodeParameters: {
				authentication: 'apiKey',
				resource: 'event',
				operation: 'create',
				specifyContactProperties: 'keypair',
				...parameters,
			},
			credentials,
		});

	test('the picker with an events-only key says the key may not read attributes, and how to type the name', async () => {
		const { status, body } = await pickAttributes({
			brevoApi: workflows.EVENTS_ONLY_CREDENTIAL,
		});
		expect(status).toBeGreaterThanOrEqual(400);
		expect(JSON.stringify(body)).toContain(
			'This API key may not read contact attributes: give it Contacts read access in Brevo, or type the attribute name',
		);
		expect(sandbox.requests()).toMatchObject([{ route: 'GET /contacts/attributes', status: 403 }]);
	});

	test('"Map Each Attribute" with an events-only key says what the mode needs, and the way round it', async () => {
		const { status, body } = await rest('POST', '/dynamic-node-parameters/resource-mapper-fields', {
			nodeTypeAndVersion: { name: 'n8n-nodes-brevo-event.brevoEvent', version: 1 },
			path: 'parameters.contactAttributes',
			methodName: 'getContactAttributeFields',
			currentNodeParameters: {
				authentication: 'apiKey',
				resource: 'event',
				operation: 'create',
				specifyContactProperties: 'mapper',
			},
			credentials: { brevoApi: workflows.EVENTS_ONLY_CREDENTIAL },
		});
		expect(status).toBeGreaterThanOrEqual(400);
		expect(JSON.stringify(body)).toContain(
			'This API key may not read contact attributes: give it Contacts read access in Brevo',
		);
	});

	test('the picker with the OAuth2 credential lists the attributes, read with a Bearer token', async () => {
		const { status, body } = await pickAttributes(
			{ brevoOAuth2Api: workflows.OAUTH2_CREDENTIAL },
			{ authentication: 'oAuth2' },
		);
		expect(status).toBe(200);
		const names = (body.data as unknown as Array<{ name: string }>).map((o) => o.name);
		expect(names).toContain('AGE (float)');
		expect(sandbox.requests().at(-1)).toMatchObject({
			route: 'GET /contacts/attributes',
			status: 200,
			auth: 'bearer',
		});
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
