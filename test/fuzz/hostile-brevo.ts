import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A Brevo-compatible POST /events and POST /events/batch on 127.0.0.1 that answers each request
 * with an answer picked by the test from a catalogue of valid, odd and hostile answers, and keeps
 * the ground truth: which events it stored (204) or queued (202/207), per request, and whether the
 * answer that confirmed them was a consistent one the client received in full.
 *
 * Each event carries a unique id in `identifiers.ext_id` (the fuzz test's execution + item), so
 * that a second store of the same event shows. Every round of the fuzz test uses its own path
 * prefix (`/r7/v3`): a different Base URL is a different Brevo account for the node's rate-limit
 * state, so a poisoned account cannot spill into the next round, only into the next execution of
 * the same round — which is what the "next execution" invariant checks.
 */

/** A value of `x-sib-ratelimit-reset`: sane, absurd, negative, not a number, one year. */
export const RESETS = ['1', '1e20', '-5', 'abc', '31536000'] as const;
export type Reset = (typeof RESETS)[number];

/** Ways a 207 can be written: consistent, or contradicting itself or the batch. */
export const PARTIALS = [
	'consistent',
	'failedMoreThanListed',
	'noErrorsAllFailed',
	'indexOutOfRange',
	'indexRepeated',
	'indexEmpty',
] as const;

export type Answer =
	/** Brevo's documented success: 204 (single) or 202 {count: n} (batch), sane rate-limit headers. */
	| { kind: 'ok' }
	/** Success that used up the window: remaining 0, and this reset. */
	| { kind: 'okLastSlot'; reset: Reset }
	/** 202 whose count is missing, below or above the number of events sent. */
	| { kind: 'count'; count: 'missing' | 'short' | 'over' }
	/** 207; `mask` picks the events it rejects (bit k = event k). */
	| { kind: 'partial'; variant: (typeof PARTIALS)[number]; mask: number }
	/** 400 with a batch body, naming every event or only the first. */
	| { kind: 'batch400'; names: 'all' | 'first' }
	/** 4xx with Brevo's error JSON. */
	| { kind: 'error'; status: 400 | 401 | 403 }
	/** 429, with or without x-sib-ratelimit-* headers, and optionally Retry-After. */
	| { kind: 'tooMany'; reset?: Reset; retryAfter?: number }
	/** 5xx; `stored`: the server kept the events anyway (Brevo may have). */
	| { kind: 'serverError'; status: 500 | 502 | 503; stored: boolean }
	/** A captive portal: 200 text/html. */
	| { kind: 'html' }
	/** A redirect to another local server, which must receive nothing. */
	| { kind: 'redirect'; status: 301 | 302 | 307 }
	/** The success answer after a delay. */
	| { kind: 'delay'; ms: number }
	/** Headers at once, then the body a byte every `everyMs` (batch: the 202; single: a 400). */
	| { kind: 'trickle'; everyMs: number }
	/** The connection dropped before reading the body (nothing stored) or after (stored). */
	| { kind: 'drop'; when: 'before' | 'after' };

/** One request as the server saw it, and what it did with it. */
export interface Exchange {
	no: number;
	/** The path prefix of the round, e.g. "/r7". */
	prefix: string;
	route: 'POST /events' | 'POST /events/batch' | string;
	/** The ext_id of each event sent, in order. */
	ids: string[];
	/** How many earlier requests began with the same event (0 = first send). */
	attempt: number;
	answer: Answer;
	arrivedAt: number;
	/** The events the server stored or queued. */
	stored: string[];
	/** Whether the answer claimed exactly what was stored, in Brevo's documented form. */
	consistent: boolean;
	/** When the last byte of the answer was handed to the client's connection, if ever. */
	finishedAt?: number;
	/** Whether the api-key header carried the round's key. */
	authenticated: boolean;
}

/** Picks the answer for a request: its events' ids, and how many times it was seen before. */
export type Chooser = (ids: string[], attempt: number) => Answer;

const SANE_LIMITS = {
	'x-sib-ratelimit-limit': '1000',
	'x-sib-ratelimit-remaining': '999',
	'x-sib-ratelimit-reset': '1',
};

export class HostileBrevo {
	readonly exchanges: Exchange[] = [];

	/** Requests that reached the redirect target: must stay empty. */
	readonly trapped: Array<{ url?: string; headers: IncomingMessage['headers'] }> = [];

	private readonly choosers = new Map<string, Chooser>();

	private readonly keys = new Map<string, string>();

	private readonly attempts = new Map<string, number>();

	private readonly sockets = new Set<Socket>();

	private readonly timers = new Set<NodeJS.Timeout>();

	private server?: Server;

	private trap?: Server;

	url = '';

	trapUrl = '';

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		this.trap = createServer((req, res) => {
			this.trapped.push({ url: req.url, headers: req.headers });
			req.resume();
			res.writeHead(204).end();
		});
		this.url = await listen(this.server);
		this.trapUrl = await listen(this.trap);
		return this;
	}

	async stop(): Promise<void> {
		for (const timer of this.timers) clearTimeout(timer);
		for (const socket of this.sockets) socket.destroy();
		await Promise.all(
			[this.server, this.trap].map((s) => new Promise((resolve) => s?.close(resolve))),
		);
	}

	/** Serves `prefix` (e.g. "/r7") for `apiKey`, answering as `choose` says. */
	serve(prefix: string, apiKey: string, choose: Chooser): void {
		this.keys.set(prefix, apiKey);
		this.choosers.set(prefix, choose);
	}

	/** From now on `prefix` answers every request like a healthy Brevo. */
	heal(prefix: string): void {
		this.choosers.set(prefix, () => ({ kind: 'ok' }));
	}

	/** The exchanges of one round. */
	of(prefix: string): Exchange[] {
		return this.exchanges.filter((e) => e.prefix === prefix);
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const arrivedAt = Date.now();
		const match = /^(\/r\d+)\/v3(\/events(?:\/batch)?)$/.exec(req.url ?? '');
		const choose = match && this.choosers.get(match[1]);
		if (!match || !choose || req.method !== 'POST') {
			req.resume();
			return void res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
		}
		const [, prefix, path] = match;
		const route = `POST ${path}`;
		const batch = path === '/events/batch';
		const text = await readBody(req);
		const ids = eventIds(text, batch);
		const attemptKey = `${prefix} ${ids[0]}`;
		const attempt = this.attempts.get(attemptKey) ?? 0;
		this.attempts.set(attemptKey, attempt + 1);
		const answer = choose(ids, attempt);
		const exchange: Exchange = {
			no: this.exchanges.length,
			prefix,
			route,
			ids,
			attempt,
			answer,
			arrivedAt,
			stored: [],
			consistent: false,
			authenticated: req.headers['api-key'] === this.keys.get(prefix),
		};
		this.exchanges.push(exchange);
		res.on('finish', () => (exchange.finishedAt = Date.now()));
		if (!exchange.authenticated) {
			return void send(res, 401, { code: 'unauthorized', message: 'Key not found' });
		}
		this.answer(exchange, res, batch);
	}

	private answer(exchange: Exchange, res: ServerResponse, batch: boolean): void {
		const { answer, ids } = exchange;
		const n = ids.length;
		const all = [...Array(n).keys()];
		const store = (indexes: number[], consistent: boolean) => {
			exchange.stored = indexes.map((k) => ids[k]);
			exchange.consistent = consistent;
		};
		const success = () => {
			store(all, true);
			if (batch) send(res, 202, { message: 'Batch accepted.', count: n }, SANE_LIMITS);
			else send(res, 204, undefined, SANE_LIMITS);
		};
		switch (answer.kind) {
			case 'ok':
				return success();
			case 'okLastSlot': {
				store(all, true);
				const limits = { ...SANE_LIMITS, 'x-sib-ratelimit-remaining': '0' };
				limits['x-sib-ratelimit-reset'] = answer.reset;
				if (batch) return send(res, 202, { message: 'Batch accepted.', count: n }, limits);
				return send(res, 204, undefined, limits);
			}
			case 'count': {
				// Which events a short count left out is unknown to the client: here, the last ones.
				const count = answer.count === 'short' ? Math.floor(n / 2) : n + 5;
				store(answer.count === 'short' ? all.slice(0, count) : all, false);
				const body: Record<string, unknown> = { message: 'Batch accepted.' };
				if (answer.count !== 'missing') body.count = count;
				return send(res, 202, body, SANE_LIMITS);
			}
			case 'partial':
				return this.partial(exchange, res, answer.variant, answer.mask);
			case 'batch400': {
				store([], true);
				const listed = answer.names === 'all' ? all : [0];
				return send(res, 400, {
					status: 'failed',
					total_events: n,
					successful_events: 0,
					failed_events: n,
					errors: [{ eventIndex: listed, message: 'identifiers are invalid' }],
				});
			}
			case 'error': {
				store([], true);
				const body = {
					400: { code: 'invalid_parameter', message: 'event_name is invalid' },
					401: { code: 'unauthorized', message: 'Key not found' },
					403: { code: 'permission_denied', message: 'Unauthorized IP address' },
				}[answer.status];
				return send(res, answer.status, body);
			}
			case 'tooMany': {
				store([], true);
				const headers: Record<string, string> = {};
				if (answer.reset !== undefined) {
					headers['x-sib-ratelimit-limit'] = '10';
					headers['x-sib-ratelimit-remaining'] = '0';
					headers['x-sib-ratelimit-reset'] = answer.reset;
				}
				if (answer.retryAfter !== undefined) headers['retry-after'] = String(answer.retryAfter);
				return send(res, 429, { code: 'too_many_requests', message: 'Too many requests' }, headers);
			}
			case 'serverError':
				store(answer.stored ? all : [], false);
				return send(res, answer.status, { code: 'internal_error', message: 'Oops' });
			case 'html':
				store([], false);
				res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
				return void res.end('<!DOCTYPE html><html><body>Please log in to the Wi-Fi</body></html>');
			case 'redirect':
				store([], false);
				res.writeHead(answer.status, {
					location: `${this.trapUrl}/v3${batch ? '/events/batch' : '/events'}`,
				});
				return void res.end();
			case 'delay':
				return this.later(answer.ms, success);
			case 'trickle': {
				// Batch: the 202 (queued once its headers are written); single: a 400 (nothing stored).
				const status = batch ? 202 : 400;
				store(batch ? all : [], true);
				const body = JSON.stringify(
					batch ? { count: n, message: 'ok' } : { code: 'invalid_parameter', message: 'no' },
				);
				res.writeHead(status, {
					'content-type': 'application/json',
					'content-length': String(Buffer.byteLength(body)),
					...SANE_LIMITS,
				});
				res.flushHeaders();
				return this.trickle(res, body, answer.everyMs);
			}
			case 'drop':
				// Before: the server drops the request unprocessed (the client may have finished
				// writing it: the body is read to learn its ids), so nothing is stored. After: stored.
				store(answer.when === 'after' ? all : [], false);
				return void res.socket?.destroy();
		}
	}

	private partial(
		exchange: Exchange,
		res: ServerResponse,
		variant: (typeof PARTIALS)[number],
		mask: number,
	): void {
		const n = exchange.ids.length;
		const all = [...Array(n).keys()];
		let picked = all.filter((k) => (mask >> k) & 1);
		if (picked.length === 0) picked = [n - 1];
		const lastUnlisted = (listed: number[], extra: number) =>
			all.filter((k) => !listed.includes(k)).slice(-extra);
		let rejected: number[];
		let listed: unknown[];
		let failed: number;
		switch (variant) {
			case 'consistent':
				rejected = picked;
				listed = picked;
				failed = picked.length;
				break;
			case 'failedMoreThanListed':
				// Says more failed than it names: which others failed is unknown to the client.
				listed = picked.slice(0, 1);
				rejected = [...new Set([picked[0], ...lastUnlisted([picked[0]], 2)])];
				failed = rejected.length;
				break;
			case 'noErrorsAllFailed':
				rejected = all;
				listed = [];
				failed = n;
				break;
			case 'indexOutOfRange':
				listed = [n + 3];
				rejected = [n - 1];
				failed = 1;
				break;
			case 'indexRepeated':
				listed = [picked[0], picked[0]];
				rejected = [...new Set([picked[0], ...lastUnlisted([picked[0]], 1)])];
				failed = rejected.length;
				break;
			case 'indexEmpty':
				listed = [];
				rejected = [n - 1];
				failed = 1;
				break;
		}
		const kept = all.filter((k) => !rejected.includes(k));
		exchange.stored = kept.map((k) => exchange.ids[k]);
		exchange.consistent = variant === 'consistent';
		const errors =
			variant === 'noErrorsAllFailed'
				? []
				: [{ eventIndex: listed, message: 'contact is blocklisted' }];
		send(
			res,
			207,
			{
				status: 'partial_success',
				total_events: n,
				successful_events: n - failed,
				failed_events: failed,
				errors,
			},
			SANE_LIMITS,
		);
	}

	private later(ms: number, then: () => void): void {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			// The client gave up: the events were processed all the same (Brevo would have).
			then();
		}, ms);
		this.timers.add(timer);
	}

	private trickle(res: ServerResponse, body: string, everyMs: number, at = 0): void {
		if (res.destroyed) return;
		// The last byte ends the answer: a client that has the whole body may close at once.
		if (at === body.length - 1) return void res.end(body[at]);
		res.write(body[at]);
		this.later(everyMs, () => this.trickle(res, body, everyMs, at + 1));
	}
}

function send(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	if (res.destroyed) return;
	if (body === undefined) return void res.writeHead(status, headers).end();
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** The ext_id of each event of a request body ("?" where there is none). */
function eventIds(text: string, batch: boolean): string[] {
	try {
		const body = JSON.parse(text) as { events?: unknown[] } & Record<string, unknown>;
		const events = (batch ? body.events : [body]) ?? [];
		return events.map(
			(event) =>
				((event as { identifiers?: { ext_id?: string } })?.identifiers?.ext_id ?? '?') as string,
		);
	} catch {
		return ['?'];
	}
}

async function listen(server: Server): Promise<string> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export async function startHostileBrevo(): Promise<HostileBrevo> {
	return await new HostileBrevo().start();
}
