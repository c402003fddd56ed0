import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { TEST_KEYS as testKeys } from './keys';

// The sandbox is plain CommonJS (it also runs on its own for `npm start`).
import { ALL_SCOPES, BrevoSandbox as SandboxClass } from '../sandbox/brevo-sandbox.js';

const BrevoSandbox = SandboxClass as unknown as new (options?: IDataObject) => SandboxServer;

export const SANDBOX_API_KEY = testKeys.sandbox;

export interface StoredEvent {
	receivedAt: string;
	contactId: number;
	event: IDataObject & { event_name: string };
}

export interface LoggedRequest {
	/** When the request arrived (ms since the epoch). */
	at: number;
	route: string;
	query: string;
	status: number;
	apiKey: boolean;
	/** How the request authenticated: "api-key", "bearer" or null. */
	auth: 'api-key' | 'bearer' | null;
	/** Brevo's message (or the OAuth error) of a refused request. */
	error?: string;
	fault?: string;
	/** The request body exactly as received, when the sandbox runs with `logBodies`. */
	body?: string;
}

/** The route of the sandbox's OAuth2 token endpoint, as logged. */
export const TOKEN_ROUTE = 'POST /realms/partner/oauth/token';

/** A Brevo OAuth2 credential's data as n8n holds it (defaults applied), for the sandbox at `url`. */
export function oauth2CredentialData(
	url: string,
	overrides: Record<string, string> = {},
): ICredentialDataDecryptedObject {
	return {
		grantType: 'clientCredentials',
		accessTokenUrl: `${url}/realms/partner/oauth/token`,
		clientId: testKeys.oauthClientId,
		clientSecret: testKeys.oauthClientSecret,
		scope: 'events:write events:read contacts:read',
		authentication: 'header',
		baseUrl: `${url}/v3`,
		...overrides,
	};
}

interface SandboxServer {
	url: string;
	events: StoredEvent[];
	log: LoggedRequest[];
	/** Events waiting for a later `GET /events` (scheduled with `onListCall`). */
	onList: unknown[];
	start(): Promise<SandboxServer>;
	stop(): Promise<void>;
	reset(): void;
}

/** Starts a Brevo sandbox on 127.0.0.1 (random port) for the tests of one file. */
export async function startSandbox(options: IDataObject = {}) {
	const server = await new BrevoSandbox({
		apiKey: SANDBOX_API_KEY,
		apiKeys: {
			[testKeys.eventsOnly]: { scopes: ['events:read', 'events:write'] },
			[testKeys.expired]: { expired: true },
		},
		oauthClients: {
			[testKeys.oauthClientId]: { secret: testKeys.oauthClientSecret, scopes: ALL_SCOPES },
		},
		...options,
	}).start();
	const configure = async (patch: IDataObject) => {
		const response = await fetch(`${server.url}/__sandbox/config`, {
			method: 'POST',
			body: JSON.stringify(patch),
		});
		expect(response.status).toBe(204);
	};
	return {
		server,
		baseUrl: `${server.url}/v3`,
		credentials: { apiKey: SANDBOX_API_KEY, baseUrl: `${server.url}/v3` },
		oauth2Credentials: (overrides: Record<string, string> = {}) =>
			oauth2CredentialData(server.url, overrides),
		configure,
		stored: () => server.events,
		requests: () => server.log,
	};
}

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * One sandbox for the tests of a describe block: started before them, emptied before each test
 * (unless `reset: false`, for suites that read what an earlier step stored), stopped after.
 */
export function useSandbox({
	reset = true,
	...options
}: IDataObject & { reset?: boolean } = {}): Sandbox {
	const sandbox = {} as Sandbox;
	beforeAll(async () => {
		Object.assign(sandbox, await startSandbox(options));
	});
	if (reset) beforeEach(() => sandbox.server.reset());
	afterAll(async () => await sandbox.server?.stop());
	return sandbox;
}
