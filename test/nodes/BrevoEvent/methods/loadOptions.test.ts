import { NodeOperationError, type ILoadOptionsFunctions, type INode } from 'n8n-workflow';

import { BrevoEvent } from '../../../../nodes/BrevoEvent/BrevoEvent.node';
import { testNode } from '../../../helpers/execute-context';
import { fetchContext } from '../../../helpers/fetch-context';
import { TEST_KEYS as testKeys } from '../../../helpers/keys';
import { useSandbox } from '../../../helpers/sandbox';

const { getContactAttributes } = new BrevoEvent().methods.loadOptions;

/** The contact attribute picker when the credential may not read attributes. */
describe('the contact attribute picker with a restricted credential', () => {
	const sandbox = useSandbox();

	async function pickerError(ctx: ILoadOptionsFunctions) {
		return await getContactAttributes.call(ctx).then(
			() => {
				throw new Error('expected the picker to fail');
			},
			(error: NodeOperationError) => error,
		);
	}

	test('an events-only API key: says which access is missing and how to type the name instead', async () => {
		const ctx = fetchContext({
			apiKey: testKeys.eventsOnly,
			baseUrl: sandbox.baseUrl,
		}) as unknown as ILoadOptionsFunctions;
		const error = await pickerError(ctx);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'This API key may not read contact attributes: give it Contacts read access in Brevo, or type the attribute name',
		);
		expect(error.description).toContain('switch the Name field to Expression');
		expect(sandbox.requests()).toMatchObject([{ route: 'GET /contacts/attributes', status: 403 }]);
	});

	test('an OAuth2 app without contacts:read: names the scope', async () => {
		const ctx = {
			getNode: () => ({ ...testNode, parameters: { authentication: 'oAuth2' } }),
			getCredentials: async () => ({ baseUrl: sandbox.baseUrl }),
			helpers: {
				httpRequestWithAuthentication: async () => ({
					statusCode: 403,
					headers: {},
					body: {
						code: 'permission_denied',
						message: 'The access token lacks the contacts:read scope',
					},
				}),
			},
		} as unknown as ILoadOptionsFunctions;
		expect((await pickerError(ctx)).message).toBe(
			'This OAuth2 app may not read contact attributes: grant it the contacts:read scope and add that to the Scope of the credential, or type the attribute name',
		);
	});

	test('other failures are not dressed up as missing access', async () => {
		const ctx = fetchContext({
			apiKey: testKeys.wrong,
			baseUrl: sandbox.baseUrl,
		}) as unknown as ILoadOptionsFunctions;
		const error = await pickerError(ctx);
		expect(error.message).toBe('Brevo answered 401 unauthorized: Key not found');
	});
});

/**
 * The contact attribute picker against the sandbox: the editor calls it once per contact property
 * row, all at once when a panel opens; Brevo counts GET /contacts/attributes in its 100/hour bucket.
 */
describe('getContactAttributes (the attribute picker)', () => {
	const sandbox = useSandbox();
	let credentialNumber = 0;

	/** A picker call as the editor makes it: the node carries the selected credential's id. */
	const pickerContext = (credentialId: string | undefined, apiKey = sandbox.credentials.apiKey) => {
		const ctx = fetchContext({ ...sandbox.credentials, apiKey });
		const node: INode = {
			...testNode,
			credentials: credentialId ? { brevoApi: { id: credentialId, name: 'Brevo' } } : undefined,
		};
		return { ...ctx, getNode: () => node } as unknown as ILoadOptionsFunctions;
	};
	const attributeRequests = () =>
		sandbox.requests().filter((r) => r.route === 'GET /contacts/attributes');
	const newCredentialId = () => `picker-credential-${++credentialNumber}`;

	afterEach(() => jest.restoreAllMocks());

	test('four rows opened at once make one request, and all four get the attributes', async () => {
		const credentialId = newCredentialId();
		const rows = await Promise.all(
			[0, 1, 2, 3].map(async () => await getContactAttributes.call(pickerContext(credentialId))),
		);
		expect(attributeRequests()).toHaveLength(1);
		for (const options of rows) expect(options.map((o) => o.name)).toContain('AGE (float)');
	});

	test('another credential asks for its own attributes', async () => {
		await getContactAttributes.call(pickerContext(newCredentialId()));
		await getContactAttributes.call(pickerContext(newCredentialId()));
		expect(attributeRequests()).toHaveLength(2);
	});

	test('the answer is shared for a few seconds only: a later panel opening asks again', async () => {
		const credentialId = newCredentialId();
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
		await getContactAttributes.call(pickerContext(credentialId));
		clock.mockReturnValue(now + 9_000);
		await getContactAttributes.call(pickerContext(credentialId));
		expect(attributeRequests()).toHaveLength(1);
		clock.mockReturnValue(now + 11_000);
		await getContactAttributes.call(pickerContext(credentialId));
		expect(attributeRequests()).toHaveLength(2);
	});

	test('a refused request is not kept: after fixing the key, the next opening asks again', async () => {
		const credentialId = newCredentialId();
		await expect(
			getContactAttributes.call(pickerContext(credentialId, testKeys.wrong)),
		).rejects.toThrow();
		const options = await getContactAttributes.call(pickerContext(credentialId));
		expect(options.map((o) => o.value)).toContain('VIP');
		expect(attributeRequests().map((r) => r.status)).toEqual([401, 200]);
	});

	test('without a saved credential (no id) nothing is shared', async () => {
		await getContactAttributes.call(pickerContext(undefined));
		await getContactAttributes.call(pickerContext(undefined));
		expect(attributeRequests()).toHaveLength(2);
	});
});
