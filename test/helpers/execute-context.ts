import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	NodeExecutionHint,
} from 'n8n-workflow';

import { TEST_KEYS as testKeys } from './keys';

export const TEST_API_KEY = testKeys.fake;

export interface FakeResponse {
	statusCode: number;
	headers?: IDataObject;
	body?: unknown;
}

export interface RecordedRequest {
	credentialType: string;
	options: IHttpRequestOptions;
}

type Parameters = Record<string, unknown>;

export interface ContextOptions {
	/** Node parameters: the same for every item, or per item (as expressions would resolve). */
	parameters: Parameters | ((itemIndex: number) => Parameters);
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	timezone?: string;
	credentials?: ICredentialDataDecryptedObject;
	/** What the fake HTTP helper answers; a thrown error stands for a dropped connection. */
	respond?: (options: IHttpRequestOptions, call: number) => FakeResponse | Promise<FakeResponse>;
}

function markVarying(first: Parameters, second: Parameters): INodeParameters {
	const raw: Parameters = {};
	for (const [name, value] of Object.entries(first)) {
		raw[name] =
			JSON.stringify(value) === JSON.stringify(second[name]) ? value : `=${JSON.stringify(value)}`;
	}
	return raw as INodeParameters;
}

export const testNode: INode = {
	id: 'b7c1e0a4-0000-4000-8000-000000000001',
	name: 'Brevo Event',
	type: 'n8n-nodes-brevo-event.brevoEvent',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/**
 * A hand-made IExecuteFunctions for execute() tests: parameters come from a plain object, and
 * httpRequestWithAuthentication records each request and answers with `respond`. It applies the
 * credential's api-key header as n8n would, so tests can check the key never leaks into output.
 */
export function executeContext(options: ContextOptions) {
	const items = options.items ?? [{ json: {} }];
	const requests: RecordedRequest[] = [];
	const parameterReads: Array<{ name: string; itemIndex: number }> = [];
	const credentials = options.credentials ?? {
		apiKey: TEST_API_KEY,
		baseUrl: 'https://api.brevo.com/v3',
	};
	const respond = options.respond ?? (() => ({ statusCode: 204, headers: {}, body: '' }));

	// The node's raw parameters, as n8n holds them: with per-item parameters, a value that differs
	// between items stands for an expression ("=…"), the others are fixed.
	const rawParameters =
		typeof options.parameters === 'function'
			? markVarying(options.parameters(0), options.parameters(1))
			: options.parameters;
	const hints: NodeExecutionHint[] = [];

	const ctx = {
		getInputData: () => items,
		getNode: () => ({ ...testNode, parameters: rawParameters }),
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
		getTimezone: () => options.timezone ?? 'UTC',
		continueOnFail: () => options.continueOnFail ?? false,
		getCredentials: async (type: string) => {
			expect(type).toBe('brevoApi');
			return credentials;
		},
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			parameterReads.push({ name, itemIndex });
			const parameters =
				typeof options.parameters === 'function'
					? options.parameters(itemIndex)
					: options.parameters;
			return name in parameters ? parameters[name] : fallback;
		},
		helpers: {
			httpRequestWithAuthentication: async (
				credentialType: string,
				request: IHttpRequestOptions,
			) => {
				const authenticated = {
					...request,
					headers: { ...request.headers, 'api-key': credentials.apiKey },
				};
				requests.push({ credentialType, options: authenticated as IHttpRequestOptions });
				const answer = await respond(authenticated as IHttpRequestOptions, requests.length - 1);
				return { statusCode: answer.statusCode, headers: answer.headers ?? {}, body: answer.body };
			},
		},
	} as unknown as IExecuteFunctions;

	return { ctx, requests, parameterReads, hints };
}
