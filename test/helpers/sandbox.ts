import type { IDataObject } from 'n8n-workflow';

import { TEST_KEYS as testKeys } from './keys';

// The sandbox is plain CommonJS (it also runs on its own for `npm start`).
import { BrevoSandbox as SandboxClass } from '../../tools/sandbox/brevo-sandbox.js';

const BrevoSandbox = SandboxClass as unknown as new (options?: IDataObject) => SandboxServer;

export const SANDBOX_API_KEY = testKeys.sandbox;

export interface StoredEvent {
	receivedAt: string;
	contactId: number;
	event: IDataObject & { event_name: string };
}

export interface LoggedRequest {
	route: string;
	query: string;
	status: number;
	apiKey: boolean;
	fault?: string;
	/** The request body exactly as received, when the sandbox runs with `logBodies`. */
	body?: string;
}

interface SandboxServer {
	url: string;
	events: StoredEvent[];
	log: LoggedRequest[];
	start(): Promise<SandboxServer>;
	stop(): Promise<void>;
	reset(): void;
}

/** Starts a Brevo sandbox on 127.0.0.1 (random port) for the tests of one file. */
export async function startSandbox(options: IDataObject = {}) {
	const server = await new BrevoSandbox({ apiKey: SANDBOX_API_KEY, ...options }).start();
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
