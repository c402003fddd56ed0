import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { testNode } from './execute-context';

/**
 * A context whose httpRequestWithAuthentication does real HTTP with fetch, the way n8n's helper
 * behaves with returnFullResponse + ignoreHttpStatusErrors: any status resolves, a dropped
 * connection rejects. For transport tests against the sandbox without booting the engine.
 * `starts` receives the time each request was handed to the helper.
 */
export function fetchContext(
	credentials: { apiKey: string; baseUrl: string },
	starts: number[] = [],
) {
	return {
		getNode: () => testNode,
		getCredentials: async () => credentials,
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				starts.push(Date.now());
				const url = new URL(options.url);
				for (const [key, value] of Object.entries(options.qs ?? {})) {
					for (const v of Array.isArray(value) ? value : [value])
						url.searchParams.append(key, String(v));
				}
				const response = await fetch(url, {
					method: options.method,
					headers: {
						...(options.headers as Record<string, string>),
						'api-key': credentials.apiKey,
					},
					body: options.body === undefined ? undefined : JSON.stringify(options.body),
				});
				const text = await response.text();
				const headers: IDataObject = {};
				response.headers.forEach((value, key) => (headers[key] = value));
				return { statusCode: response.status, headers, body: text ? JSON.parse(text) : '' };
			},
		},
	} as unknown as IExecuteFunctions;
}
