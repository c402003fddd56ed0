import { NodeOperationError, type ILoadOptionsFunctions } from 'n8n-workflow';

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
