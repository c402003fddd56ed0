import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the server received: method, path with query, headers, body. */
export interface ReceivedRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: string;
}

/** Answers one request; the server calls it with the request and how many came before it. */
export type Answer = (
	request: ReceivedRequest,
	res: ServerResponse,
	index: number,
) => void | Promise<void>;

/** Ends `res` with `status` and `body` as JSON. */
export function answerJson(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * A local server on 127.0.0.1 that answers as a broken or hostile Brevo (or a proxy in front of
 * it) would: each test says how, request by request.
 */
export function useHostileServer() {
	let server: Server;
	let answer: Answer = (_req, res) => void res.writeHead(204).end();
	const received: ReceivedRequest[] = [];
	const state = {
		url: '',
		received,
		/** Answers the following requests with `next`. */
		answerWith(next: Answer) {
			answer = next;
		},
		/** Credentials of the Brevo API credential for this server. */
		get credentials() {
			return { apiKey: 'xkeysib-hostile-test', baseUrl: `${state.url}/v3` };
		},
	};
	beforeAll(async () => {
		server = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const request = {
					method: req.method ?? '',
					url: req.url ?? '',
					headers: req.headers,
					body: Buffer.concat(chunks).toString(),
				};
				received.push(request);
				void Promise.resolve(answer(request, res, received.length - 1)).catch(() => res.destroy());
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	beforeEach(() => {
		received.length = 0;
		answer = (_req, res) => void res.writeHead(204).end();
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});
	return state;
}
