import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import { isTokenRefusal } from '../../../../nodes/BrevoEvent/transport/answers';
import { credentialTypeOf } from '../../../../nodes/BrevoEvent/transport/authentication';
import { BrevoTransport } from '../../../../nodes/BrevoEvent/transport/BrevoTransport';
import { testNode } from '../../../helpers/execute-context';

type Answer = () => { statusCode: number; headers: IDataObject; body: unknown };

/**
 * A context for a node with the given Authentication, recording which credential the transport
 * reads and sends with; `answer` returns n8n's response or throws what n8n's helper throws.
 */
function context(authentication: string | undefined, answer: Answer) {
	const credentialsRead: string[] = [];
	const sent: Array<{ type: string; options: IHttpRequestOptions }> = [];
	const node = {
		...testNode,
		parameters: authentication === undefined ? {} : { authentication },
	};
	const ctx = {
		getNode: () => node,
		getCredentials: async (type: string) => {
			credentialsRead.push(type);
			return { baseUrl: `https://${type}.example.test/v3/` };
		},
		helpers: {
			httpRequestWithAuthentication: async (type: string, options: IHttpRequestOptions) => {
				sent.push({ type, options });
				return answer();
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, credentialsRead, sent };
}

const stored: Answer = () => ({ statusCode: 204, headers: {}, body: '' });
const post = async (ctx: IExecuteFunctions) => {
	const transport = await BrevoTransport.create(ctx, { maxServerRetries: 1 });
	return await transport.request({
		method: 'POST',
		path: '/events',
		body: {},
		itemIndex: 0,
		expect: [204],
	});
};
const failure = async (ctx: IExecuteFunctions) =>
	await post(ctx).then(
		() => {
			throw new Error('expected the request to fail');
		},
		(error: NodeApiError) => error,
	);

describe('which credential the transport uses', () => {
	test.each([
		[undefined, 'brevoApi'],
		['apiKey', 'brevoApi'],
		['oAuth2', 'brevoOAuth2Api'],
	])('Authentication %s → %s', (authentication, type) => {
		expect(credentialTypeOf(context(authentication, stored).ctx)).toBe(type);
	});

	test('API key: reads and sends with brevoApi; every status comes back as an answer', async () => {
		const { ctx, credentialsRead, sent } = context('apiKey', stored);
		await post(ctx);
		expect(credentialsRead).toEqual(['brevoApi']);
		expect(sent).toHaveLength(1);
		expect(sent[0].type).toBe('brevoApi');
		expect(sent[0].options.url).toBe('https://brevoApi.example.test/v3/events');
		expect(sent[0].options.ignoreHttpStatusErrors).toBe(true);
	});

	test('OAuth2: reads and sends with brevoOAuth2Api, its base URL; error statuses throw so n8n renews the token on a 401', async () => {
		const { ctx, credentialsRead, sent } = context('oAuth2', stored);
		await post(ctx);
		expect(credentialsRead).toEqual(['brevoOAuth2Api']);
		expect(sent[0].type).toBe('brevoOAuth2Api');
		expect(sent[0].options.url).toBe('https://brevoOAuth2Api.example.test/v3/events');
		expect(sent[0].options.ignoreHttpStatusErrors).toBe(false);
	});
});

describe('errors n8n’s OAuth2 helper throws', () => {
	test('a 401 that a fresh token did not cure reads as Brevo’s answer: clear, not retried', async () => {
		// What n8n throws: its NodeApiError around the HTTP client's error, which holds the response.
		const httpError = Object.assign(new Error('Request failed with status code 401'), {
			response: {
				status: 401,
				headers: {},
				data: { code: 'unauthorized', message: 'Access token expired' },
			},
		});
		const { ctx, sent } = context('oAuth2', () => {
			throw new NodeApiError(testNode, httpError as unknown as JsonObject);
		});
		const error = await failure(ctx);
		expect(error.message).toBe('Brevo answered 401 unauthorized: Access token expired [item 0]');
		expect(error.httpCode).toBe('401');
		expect(error.description).toContain('OAuth2 access token even after n8n fetched a new one');
		expect(sent).toHaveLength(1);
	});

	test('the token endpoint refusing the client: a clear error, not retried', async () => {
		const refusal = Object.assign(new Error('Client authentication failed'), {
			code: 'EAUTH',
			body: { error: 'invalid_client', error_description: 'Invalid client credentials' },
		});
		const acquire = new Error(`Failed to acquire OAuth2 access token: ${refusal.message}`, {
			cause: refusal,
		});
		const { ctx, sent } = context('oAuth2', () => {
			throw new NodeApiError(testNode, acquire as unknown as JsonObject);
		});
		const error = await failure(ctx);
		expect(error.message).toBe(
			'Brevo refused to issue an OAuth2 access token (invalid_client: Invalid client credentials) [item 0]',
		);
		expect(error.description).toContain('Client ID, Client Secret and Scope');
		expect(error.context.itemIndex).toBe(0);
		expect(isTokenRefusal(error)).toBe(true);
		expect(sent).toHaveLength(1);
	});

	test('a token endpoint that cannot be reached is retried like a dropped connection', async () => {
		const unreachable = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), {
			code: 'ECONNREFUSED',
		});
		const { ctx, sent } = context('oAuth2', () => {
			throw new NodeApiError(
				testNode,
				new Error('Failed to acquire OAuth2 access token: connect ECONNREFUSED', {
					cause: unreachable,
				}) as unknown as JsonObject,
			);
		});
		const error = await failure(ctx);
		expect(isTokenRefusal(error)).toBe(false);
		expect(sent).toHaveLength(2);
	});
});
