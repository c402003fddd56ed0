/**
 * A Brevo-compatible Events API on 127.0.0.1, for tests, benchmarks and `npm start`.
 * It follows the contract in CONTRIBUTING.md ("The Brevo sandbox"): api-key check (restricted and expired
 * keys too), OAuth2 client credentials (token endpoint, Bearer tokens, scopes), Brevo's validation
 * rules and error shape, POST /events, POST /events/batch, GET /events, GET /account,
 * GET /contacts/attributes, per-endpoint rate limits with x-sib-ratelimit-* headers, latency,
 * and deterministic faults. Tests steer and inspect it over HTTP under /__sandbox/.
 *
 * Plain CommonJS on purpose: it is dev tooling, run by `node` directly and required by jest.
 */
'use strict';

const crypto = require('node:crypto');
const http = require('node:http');

const NAME = /^[A-Za-z0-9_-]{1,255}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** GET /events' startDate and endDate: YYYY-MM-DD or RFC3339 (Brevo's reference). */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const IDENTIFIER_KEYS = [
	'contact_id',
	'email_id',
	'ext_id',
	'phone_id',
	'whatsapp_id',
	'landline_number_id',
];
const EVENT_KEYS = [
	'event_name',
	'identifiers',
	'event_date',
	'contact_properties',
	'event_properties',
	'object',
];
const EVENT_PROPERTIES_MAX_BYTES = 50 * 1024;
const BATCH_MAX_EVENTS = 200;
const BATCH_MAX_BYTES = 512 * 1024;

const ATTRIBUTES = [
	{ name: 'FIRSTNAME', category: 'normal', type: 'text' },
	{ name: 'LASTNAME', category: 'normal', type: 'text' },
	{ name: 'AGE', category: 'normal', type: 'float' },
	{ name: 'VIP', category: 'normal', type: 'boolean' },
	{ name: 'BIRTHDAY', category: 'normal', type: 'date' },
	// A category as Brevo listed it before 2026-05-01: numeric values, no valueStr.
	{
		name: 'GENDER',
		category: 'category',
		type: 'category',
		enumeration: [
			{ value: 1, label: 'FEMALE' },
			{ value: 2, label: 'MALE' },
		],
	},
	// Since 2026-05-01: valueStr holds the value; value is 0 for options that are not numbers.
	{
		name: 'LANGUAGE',
		category: 'category',
		type: 'category',
		enumeration: [
			{ value: 0, valueStr: 'en', label: 'English' },
			{ value: 0, valueStr: 'fr', label: 'French' },
			{ value: 3, valueStr: '3', label: 'Other' },
		],
	},
	{
		name: 'INTERESTS',
		category: 'normal',
		type: 'multiple-choice',
		multiCategoryOptions: ['video', 'audio'],
	},
	{ name: 'CUSTOMER_ID', category: 'global', type: 'id' },
];

/**
 * What each route needs, named as Brevo's OAuth scopes: ":read" covers GET, ":write" the rest, on
 * the path prefix. A restricted API key is modelled with the same names (Events read-write =
 * events:read + events:write).
 */
const ROUTE_SCOPES = {
	'POST /events': 'events:write',
	'POST /events/batch': 'events:write',
	'GET /events': 'events:read',
	'GET /account': 'account:read',
	'GET /contacts/attributes': 'contacts:read',
};
const ALL_SCOPES = [...new Set(Object.values(ROUTE_SCOPES))];
/** Brevo's client_credentials token endpoint, on the sandbox's root (not under /v3). */
const TOKEN_ROUTE = 'POST /realms/partner/oauth/token';
/** Brevo's M2M tokens last about an hour; tests shorten it to see n8n fetch a new one. */
const DEFAULT_TOKEN_TTL_MS = 3600_000;

/** Brevo's documented limits; the batch endpoint's is not documented, so it defaults to the same. */
const DEFAULT_RATE_LIMITS = {
	'POST /events': { limit: 10, windowMs: 1000 },
	'POST /events/batch': { limit: 10, windowMs: 1000 },
	'GET /events': { limit: 10, windowMs: 1000 },
};

class BrevoError extends Error {
	/** @param {number} status @param {string} code @param {string} message */
	constructor(status, code, message) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Brevo's rules for one event; returns the reason it is rejected, or undefined. */
function eventProblem(event) {
	if (!isObject(event)) return 'event must be an object';
	for (const key of Object.keys(event))
		if (!EVENT_KEYS.includes(key)) return `${key} is not a valid field`;
	if (typeof event.event_name !== 'string' || !NAME.test(event.event_name)) {
		return 'event_name must be 1-255 characters of A-Z a-z 0-9 - _';
	}
	const ids = event.identifiers;
	if (!isObject(ids) || Object.keys(ids).length === 0)
		return 'identifiers must contain at least one identifier';
	for (const [key, value] of Object.entries(ids)) {
		if (!IDENTIFIER_KEYS.includes(key)) return `identifiers.${key} is not a valid identifier`;
		if (
			key === 'contact_id' ? !Number.isInteger(value) : typeof value !== 'string' || value === ''
		) {
			return `identifiers.${key} has an invalid value`;
		}
	}
	if (
		event.event_date !== undefined &&
		(typeof event.event_date !== 'string' || !DATE_TIME.test(event.event_date))
	) {
		return 'event_date must be an ISO 8601 date-time with offset';
	}
	if (event.contact_properties !== undefined) {
		if (!isObject(event.contact_properties)) return 'contact_properties must be an object';
		for (const [key, value] of Object.entries(event.contact_properties)) {
			const scalar = ['string', 'number', 'boolean'].includes(typeof value) || value === null;
			const list = Array.isArray(value) && value.every((v) => typeof v === 'string');
			if (!key || (!scalar && !list)) return `contact_properties.${key} has an invalid value`;
		}
	}
	if (event.event_properties !== undefined) {
		if (!isObject(event.event_properties)) return 'event_properties must be an object';
		const badKey = findBadKey(event.event_properties);
		if (badKey !== undefined) return `event_properties key "${badKey}" is invalid`;
		if (Buffer.byteLength(JSON.stringify(event.event_properties)) > EVENT_PROPERTIES_MAX_BYTES) {
			return 'event_properties exceeds 50KB';
		}
	}
	if (event.object !== undefined) {
		const o = event.object;
		const oid = isObject(o) ? o.identifiers : undefined;
		if (
			!isObject(o) ||
			typeof o.type !== 'string' ||
			!isObject(oid) ||
			!(typeof oid.id === 'string' || typeof oid.ext_id === 'string')
		) {
			return 'object must be {type, identifiers: {id | ext_id}}';
		}
	}
	return undefined;
}

function findBadKey(value) {
	if (Array.isArray(value)) {
		for (const v of value) {
			const bad = findBadKey(v);
			if (bad !== undefined) return bad;
		}
	} else if (isObject(value)) {
		for (const [k, v] of Object.entries(value)) {
			if (!NAME.test(k)) return k;
			const bad = findBadKey(v);
			if (bad !== undefined) return bad;
		}
	}
	return undefined;
}

class BrevoSandbox {
	/**
	 * `apiKey` has every access. `apiKeys` adds keys as Brevo's key settings allow them:
	 * `{ "<key>": { scopes: ["events:write", "events:read"] } }` (restricted) or
	 * `{ "<key>": { expired: true } }`. `oauthClients`: `{ "<client id>": { secret, scopes } }` for
	 * the token endpoint; `tokenTtlMs`: lifetime of the tokens it issues.
	 * @param {{ apiKey?: string, apiKeys?: Record<string, { scopes?: string[], expired?: boolean }>,
	 *   oauthClients?: Record<string, { secret: string, scopes?: string[] }>, tokenTtlMs?: number,
	 *   port?: number, latencyMs?: number, rateLimits?: object, logBodies?: boolean }} [options]
	 */
	constructor(options = {}) {
		this.apiKey = options.apiKey ?? 'xkeysib-sandbox';
		this.apiKeys = {
			[`${this.apiKey}-events-only`]: { scopes: ['events:read', 'events:write'] },
			[`${this.apiKey}-expired`]: { expired: true },
			...options.apiKeys,
			[this.apiKey]: { scopes: ALL_SCOPES },
		};
		this.oauthClients = options.oauthClients ?? {
			'sandbox-client': { secret: 'sandbox-secret', scopes: ALL_SCOPES },
		};
		this.port = options.port ?? 0;
		this.defaults = {
			latencyMs: options.latencyMs ?? 0,
			rateLimits: { ...DEFAULT_RATE_LIMITS, ...options.rateLimits },
			tokenTtlMs: options.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS,
			logBodies: options.logBodies ?? false,
		};
		/** Called with each stored event (used by `npm start` to show what arrived). */
		this.onStore = options.onStore;
		this.reset();
		this.sockets = new Set();
		// A client that aborts mid-body, or any other failure of one request, must not stop the sandbox.
		this.server = http.createServer((req, res) =>
			this.handle(req, res).catch(() => {
				if (!res.headersSent) res.writeHead(500).end();
				else res.destroy();
			}),
		);
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
	}

	/** Forgets stored events, the request log, faults, contacts and tokens; restores the start-up config. */
	reset() {
		for (const timer of this.timers ?? []) clearTimeout(timer);
		/** Timers of events scheduled with a delay (POST /__sandbox/events). */
		this.timers = new Set();
		/** Events to store when GET /events is called again: [{ calls, events }], calls counting down. */
		this.onList = [];
		this.events = [];
		this.log = [];
		this.contacts = new Map();
		this.nextContactId = 1;
		/** @type {Map<string, { clientId: string, scopes: string[], issuedAt: number, expiresAt: number, revoked: boolean }>} */
		this.tokens = new Map();
		this.config = {
			tokenTtlMs: this.defaults.tokenTtlMs,
			latencyMs: this.defaults.latencyMs,
			rateLimits: { ...this.defaults.rateLimits },
			faults: {},
			throttle: {},
			batchMaxEvents: BATCH_MAX_EVENTS,
			// A server that ignores GET /events' offset (Return All must not loop on it).
			ignoreOffset: false,
			logBodies: this.defaults.logBodies,
		};
		this.windows = new Map();
		this.peakInFlight = 0;
		this.inFlight = 0;
	}

	async start() {
		await new Promise((resolve) =>
			this.server.listen(this.port, '127.0.0.1', () => resolve(undefined)),
		);
		const address = /** @type {import('node:net').AddressInfo} */ (this.server.address());
		this.port = address.port;
		this.url = `http://127.0.0.1:${this.port}`;
		return this;
	}

	async stop() {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const socket of this.sockets) socket.destroy();
		await new Promise((resolve) => this.server.close(() => resolve(undefined)));
	}

	/** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
	async handle(req, res) {
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const raw = await readBody(req);
		if (url.pathname.startsWith('/__sandbox/'))
			return this.control(req.method ?? 'GET', url, raw, res, req.headers.origin);

		const route = `${req.method} ${url.pathname.replace(/^\/v3/, '').replace(/\/+$/, '')}`;
		const entry = {
			at: Date.now(),
			route,
			query: url.search,
			apiKey: req.headers['api-key'] === this.apiKey,
			// How the request authenticated: "api-key", "bearer" or null (none).
			auth: req.headers['api-key'] ? 'api-key' : bearerToken(req) ? 'bearer' : null,
			bodyBytes: raw.length,
			status: 0,
			fault: undefined,
		};
		// The exact bytes received, for tests that check what went on the wire (opt-in: memory).
		if (this.config.logBodies) entry.body = raw.toString('utf8');
		this.log.push(entry);
		this.inFlight++;
		this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
		try {
			if (this.config.latencyMs > 0) await new Promise((r) => setTimeout(r, this.config.latencyMs));
			const fault = this.nextFault(route);
			entry.fault = fault;
			if (fault === 'drop') {
				entry.status = -1;
				req.socket.destroy();
				return;
			}
			if (fault === 'hang') {
				// Never answers: the client's timeout decides. The socket closes with the sandbox.
				entry.status = -2;
				return;
			}
			const odd = oddAnswer(fault);
			if (odd) {
				entry.status = odd.status;
				res.writeHead(odd.status, odd.headers).end(odd.body);
				return;
			}
			if (fault && /^\d{3}$/.test(fault)) {
				entry.status = Number(fault);
				return send(
					res,
					Number(fault),
					{ code: 'internal_error', message: `Injected fault ${fault}` },
					this.limitHeaders(route, true),
				);
			}
			// "reject:1,3": a batch whose events 1 and 3 Brevo turns down (207), as it may for reasons
			// the node cannot check beforehand.
			if (fault?.startsWith('reject:')) entry.reject = fault.slice(7).split(',').map(Number);
			const { status, body, headers } = this.answer(req, route, url, raw, entry.reject);
			entry.status = status;
			// Why a request was refused ("Access token expired", "invalid_client"…), for tests to read.
			if (status >= 400) entry.error = body?.message ?? body?.error;
			send(res, status, body, headers);
		} finally {
			this.inFlight--;
		}
	}

	nextFault(route) {
		const queue = this.config.faults[route];
		return queue && queue.length > 0 ? queue.shift() : undefined;
	}

	/**
	 * Fixed windows per route, shared by every client (one sandbox = one Brevo account). A route may
	 * have several windows (e.g. 10 per second and 36,000 per hour): a request counts in each, is
	 * refused if any is full, and the headers describe the most used one (a full one first, the
	 * one with the least left after that), as Brevo reports one set of x-sib-ratelimit-* headers.
	 * Returns those headers, counting this request if `count`.
	 */
	limitHeaders(route, count = true) {
		const configured = this.config.rateLimits[route];
		if (!configured) return {};
		const rules = Array.isArray(configured) ? configured : [configured];
		const now = Date.now();
		const windows = rules.map((rule, i) => {
			const key = `${route}#${i}`;
			let window = this.windows.get(key);
			if (!window || window.windowMs !== rule.windowMs || now >= window.start + rule.windowMs) {
				const start =
					window && window.windowMs === rule.windowMs
						? now - ((now - window.start) % rule.windowMs)
						: now;
				window = { start, used: 0, windowMs: rule.windowMs };
				this.windows.set(key, window);
			}
			if (count) window.used++;
			return { rule, window };
		});
		const throttledUntil = this.config.throttle[route] ?? 0;
		const left = ({ rule, window }) => (rule.limit - window.used) / rule.limit;
		const shown = windows.reduce((a, b) => {
			const fullA = a.window.used >= a.rule.limit;
			const fullB = b.window.used >= b.rule.limit;
			if (fullA !== fullB) return fullA ? a : b;
			if (fullA) return a.rule.windowMs >= b.rule.windowMs ? a : b;
			return left(b) < left(a) ? b : a;
		});
		const resetMs = Math.max(shown.window.start + shown.rule.windowMs - now, throttledUntil - now);
		return {
			limited: windows.some(({ rule, window }) => window.used > rule.limit) || now < throttledUntil,
			'x-sib-ratelimit-limit': String(shown.rule.limit),
			'x-sib-ratelimit-remaining': String(Math.max(shown.rule.limit - shown.window.used, 0)),
			'x-sib-ratelimit-reset': String(Math.max(Math.ceil(resetMs / 1000), 1)),
		};
	}

	answer(req, route, url, raw, reject) {
		if (route === TOKEN_ROUTE) return this.issueToken(req, raw);
		const refused = this.authenticate(req, route);
		if (refused) return refused;
		const { limited, ...headers } = this.limitHeaders(route);
		if (limited) {
			return {
				status: 429,
				headers,
				body: { code: 'too_many_requests', message: 'Too many requests' },
			};
		}
		try {
			const result = this.route(req, route, url, raw, reject);
			return { ...result, headers };
		} catch (error) {
			if (!(error instanceof BrevoError)) throw error;
			return { status: error.status, headers, body: { code: error.code, message: error.message } };
		}
	}

	/**
	 * Checks the api-key header or the Bearer token, then the access the route needs. Returns the
	 * refusal, or undefined. Brevo documents the codes (unauthorized, permission_denied) but not the
	 * messages for expired keys, tokens or missing access: these are the sandbox's (CONTRIBUTING.md).
	 */
	authenticate(req, route) {
		const refuse = (status, code, message, headers = {}) => ({
			status,
			headers,
			body: { code, message },
		});
		const needed = ROUTE_SCOPES[route];
		const token = bearerToken(req);
		if (token !== undefined && req.headers['api-key'] === undefined) {
			const grant = this.tokens.get(token);
			const invalid = { 'www-authenticate': 'Bearer error="invalid_token"' };
			if (!grant) return refuse(401, 'unauthorized', 'Invalid access token', invalid);
			if (grant.revoked) return refuse(401, 'unauthorized', 'Access token revoked', invalid);
			if (Date.now() >= grant.expiresAt)
				return refuse(401, 'unauthorized', 'Access token expired', invalid);
			if (needed && !grant.scopes.includes(needed)) {
				return refuse(403, 'permission_denied', `The access token lacks the ${needed} scope`, {
					'www-authenticate': `Bearer error="insufficient_scope", scope="${needed}"`,
				});
			}
			return undefined;
		}
		const key = this.apiKeys[String(req.headers['api-key'] ?? '')];
		if (!key) return refuse(401, 'unauthorized', 'Key not found');
		if (key.expired) return refuse(401, 'unauthorized', 'API key expired');
		if (needed && !(key.scopes ?? ALL_SCOPES).includes(needed)) {
			const [resource, action] = needed.split(':');
			return refuse(
				403,
				'permission_denied',
				`This API key does not have ${action} access to ${resource}`,
			);
		}
		return undefined;
	}

	/**
	 * OAuth2 client_credentials, as Brevo's M2M guide describes it: client ID and secret in a Basic
	 * header or in the form body, optional space-separated scope (each must be granted to the app,
	 * else 400 invalid_scope; none asked = all granted), a Bearer token without refresh token.
	 * Errors follow RFC 6749 (`{"error", "error_description"}`), not Brevo's API error shape.
	 */
	issueToken(req, raw) {
		const oauthError = (status, error, description) => ({
			status,
			body: { error, error_description: description },
		});
		if (!String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
			return oauthError(400, 'invalid_request', 'Expected application/x-www-form-urlencoded');
		}
		const form = new URLSearchParams(raw.toString('utf8'));
		let clientId = form.get('client_id') ?? undefined;
		let secret = form.get('client_secret') ?? undefined;
		const basic = /^Basic (.+)$/i.exec(String(req.headers.authorization ?? ''));
		if (basic) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			clientId = decodeURIComponent(decoded.slice(0, colon));
			secret = decodeURIComponent(decoded.slice(colon + 1));
		}
		const client = clientId === undefined ? undefined : this.oauthClients[clientId];
		if (!client || client.secret !== secret) {
			return oauthError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
		}
		if (form.get('grant_type') !== 'client_credentials') {
			return oauthError(400, 'unsupported_grant_type', 'Only client_credentials is supported');
		}
		const granted = client.scopes ?? ALL_SCOPES;
		const asked = (form.get('scope') ?? '').split(' ').filter(Boolean);
		const missing = asked.filter((scope) => !granted.includes(scope));
		if (missing.length > 0) {
			return oauthError(400, 'invalid_scope', `Invalid scopes: ${missing.join(' ')}`);
		}
		const scopes = asked.length > 0 ? asked : granted;
		const token = `sandbox-token-${crypto.randomBytes(12).toString('hex')}`;
		const issuedAt = Date.now();
		const ttl = this.config.tokenTtlMs;
		this.tokens.set(token, {
			clientId,
			scopes,
			issuedAt,
			expiresAt: issuedAt + ttl,
			revoked: false,
		});
		return {
			status: 200,
			headers: { 'cache-control': 'no-store' },
			body: {
				access_token: token,
				token_type: 'Bearer',
				expires_in: Math.max(1, Math.round(ttl / 1000)),
				scope: scopes.join(' '),
			},
		};
	}

	route(req, route, url, raw, reject = []) {
		switch (route) {
			case 'POST /events':
				return this.createEvent(req, raw);
			case 'POST /events/batch':
				return this.createBatch(req, raw, reject);
			case 'GET /events':
				return { status: 200, body: this.listEvents(url.searchParams) };
			case 'GET /account':
				return {
					status: 200,
					body: {
						email: 'sandbox@example.com',
						firstName: 'Sandbox',
						lastName: 'Brevo',
						companyName: 'Brevo Sandbox',
						plan: [{ type: 'free', credits: 300 }],
					},
				};
			case 'GET /contacts/attributes':
				return { status: 200, body: { attributes: ATTRIBUTES } };
			default:
				throw new BrevoError(404, 'document_not_found', `${route} does not exist`);
		}
	}

	parseJson(req, raw) {
		if (!String(req.headers['content-type'] ?? '').includes('application/json')) {
			throw new BrevoError(400, 'invalid_parameter', 'content-type must be application/json');
		}
		try {
			return JSON.parse(raw.toString('utf8'));
		} catch {
			throw new BrevoError(400, 'invalid_parameter', 'Request body is not valid JSON');
		}
	}

	store(event) {
		const ids = event.identifiers;
		const key =
			ids.contact_id ??
			ids.email_id ??
			ids.ext_id ??
			ids.phone_id ??
			ids.whatsapp_id ??
			ids.landline_number_id;
		if (!this.contacts.has(key))
			this.contacts.set(key, typeof key === 'number' ? key : this.nextContactId++);
		const stored = {
			receivedAt: new Date().toISOString(),
			contactId: this.contacts.get(key),
			event,
		};
		this.events.push(stored);
		this.onStore?.(stored);
	}

	createEvent(req, raw) {
		const event = this.parseJson(req, raw);
		const problem = eventProblem(event);
		if (problem) throw new BrevoError(400, 'invalid_parameter', problem);
		this.store(event);
		return { status: 204 };
	}

	createBatch(req, raw, reject) {
		if (raw.length > BATCH_MAX_BYTES)
			throw new BrevoError(400, 'invalid_parameter', 'Request body exceeds 512KB');
		const body = this.parseJson(req, raw);
		if (!isObject(body) || !Array.isArray(body.events)) {
			throw new BrevoError(400, 'invalid_parameter', 'Body must be an object {"events": [...]}');
		}
		if (body.events.length === 0) throw new BrevoError(400, 'missing_parameter', 'events is empty');
		if (body.events.length > this.config.batchMaxEvents) {
			throw new BrevoError(
				400,
				'out_of_range',
				`At most ${this.config.batchMaxEvents} events per batch`,
			);
		}
		const byMessage = new Map();
		body.events.forEach((event, index) => {
			const problem = reject.includes(index) ? 'contact is blocklisted' : eventProblem(event);
			if (problem) byMessage.set(problem, [...(byMessage.get(problem) ?? []), index]);
			else this.store(event);
		});
		const failed = [...byMessage.values()].reduce((n, list) => n + list.length, 0);
		const outcome = {
			status: 'partial_success',
			total_events: body.events.length,
			successful_events: body.events.length - failed,
			failed_events: failed,
			errors: [...byMessage].map(([message, eventIndex]) => ({ eventIndex, message })),
		};
		// Brevo answers 400 when every event failed validation, naming them like a 207.
		if (failed === body.events.length) {
			return {
				status: 400,
				body: {
					...outcome,
					status: 'failed',
					code: 'invalid_parameter',
					message: 'all events in the batch failed validation',
				},
			};
		}
		if (failed === 0) {
			return {
				status: 202,
				body: {
					message: 'Batch accepted. Valid events have been added to the processing queue.',
					count: body.events.length,
				},
			};
		}
		return { status: 207, body: outcome };
	}

	listEvents(params) {
		this.arriveOnList();
		const startDate = params.get('startDate');
		const endDate = params.get('endDate');
		if (Boolean(startDate) !== Boolean(endDate)) {
			throw new BrevoError(
				400,
				'invalid_parameter',
				'startDate and endDate must be given together',
			);
		}
		for (const [name, value] of [
			['startDate', startDate],
			['endDate', endDate],
		]) {
			if (value && (!(DAY.test(value) || DATE_TIME.test(value)) || isNaN(Date.parse(value))))
				throw new BrevoError(400, 'invalid_parameter', `${name} must be YYYY-MM-DD or RFC3339`);
		}
		const limit = Number(params.get('limit') ?? 100);
		const offset = this.config.ignoreOffset ? 0 : Number(params.get('offset') ?? 0);
		if (!Number.isInteger(limit) || limit < 1 || limit > 10000)
			throw new BrevoError(400, 'out_of_range', 'limit must be 1-10000');
		if (!Number.isInteger(offset) || offset < 0)
			throw new BrevoError(400, 'out_of_range', 'offset must be >= 0');
		const contactIds = params.getAll('contact_id').map(Number);
		const names = params.getAll('event_name');
		const objectTypes = params.getAll('object_type');
		const from = startDate ? Date.parse(startDate) : Date.now() - 183 * 86400_000;
		const to = endDate
			? Date.parse(endDate.length === 10 ? `${endDate}T23:59:59.999Z` : endDate)
			: Infinity;
		const matching = this.events
			.map((stored) => {
				const date = stored.event.event_date ?? stored.receivedAt;
				return { stored, date, t: Date.parse(date) };
			})
			.filter(({ stored, t }) => {
				return (
					t >= from &&
					t <= to &&
					(contactIds.length === 0 || contactIds.includes(stored.contactId)) &&
					(names.length === 0 || names.includes(stored.event.event_name)) &&
					(objectTypes.length === 0 || objectTypes.includes(stored.event.object?.type))
				);
			})
			.sort((a, b) => b.t - a.t);
		return {
			count: matching.length,
			events: matching.slice(offset, offset + limit).map(({ stored, date }, i) => ({
				contact_id: stored.contactId,
				event_date: date,
				event_name: stored.event.event_name,
				event_filter_id: `filter-${offset + i}`,
				source: 'api',
				object_type: stored.event.object?.type ?? null,
				event_properties: stored.event.event_properties ?? {},
				contact_properties: stored.event.contact_properties ?? {},
			})),
		};
	}

	/**
	 * Stores events as if they had been sent to POST /events (same rules), bypassing the API key
	 * and the rate limits: now, after `inMs`, or when GET /events is called for the
	 * `onListCall`-th time from now (before it is answered: an event arriving while a client pages).
	 * An event's `event_date` may lie in the past (back-dated, as a nightly import or a retry
	 * sends it); without one it is dated when it is stored, as Brevo does.
	 * @param {object[]} events @param {{ inMs?: number, onListCall?: number }} [when]
	 */
	schedule(events, { inMs = 0, onListCall } = {}) {
		for (const event of events) {
			const problem = eventProblem(event);
			if (problem) throw new BrevoError(400, 'invalid_parameter', problem);
		}
		if (onListCall !== undefined) {
			this.onList.push({ calls: onListCall, events });
		} else if (inMs > 0) {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				for (const event of events) this.store(event);
			}, inMs);
			this.timers.add(timer);
		} else {
			for (const event of events) this.store(event);
		}
	}

	/** Stores the events scheduled for this call of GET /events. */
	arriveOnList() {
		const due = [];
		this.onList = this.onList.filter((entry) => {
			entry.calls--;
			if (entry.calls > 0) return true;
			due.push(...entry.events);
			return false;
		});
		for (const event of due) this.store(event);
	}

	/** The test-only API: read what was stored and answered, steer latency, limits and faults. */
	control(method, url, raw, res, origin) {
		const route = `${method} ${url.pathname}`;
		// Only local programs steer the sandbox: a web page (which always sends Origin) may not.
		if (origin !== undefined) {
			return send(res, 403, {
				code: 'permission_denied',
				message: 'cross-origin requests refused',
			});
		}
		if (route === 'GET /__sandbox/events') return send(res, 200, this.events);
		// {"events": [...], "inMs"?: n, "onListCall"?: n}: see schedule(); several batches with
		// {"schedule": [{"events", "inMs" | "onListCall"}, …]}.
		if (route === 'POST /__sandbox/events') {
			let body;
			try {
				body = JSON.parse(raw.toString('utf8') || '{}');
			} catch {
				return send(res, 400, { code: 'invalid_parameter', message: 'body is not valid JSON' });
			}
			const batches = Array.isArray(body?.schedule) ? body.schedule : [body];
			let scheduled = 0;
			try {
				for (const batch of batches) {
					if (!isObject(batch) || !Array.isArray(batch.events))
						throw new BrevoError(400, 'invalid_parameter', 'events must be a list');
					this.schedule(batch.events, { inMs: batch.inMs, onListCall: batch.onListCall });
					scheduled += batch.events.length;
				}
			} catch (error) {
				if (!(error instanceof BrevoError)) throw error;
				return send(res, error.status, { code: error.code, message: error.message });
			}
			return send(res, 202, { scheduled });
		}
		if (route === 'GET /__sandbox/log') return send(res, 200, this.log);
		// Tokens issued so far (newest last), without the token itself.
		if (route === 'GET /__sandbox/tokens') {
			return send(
				res,
				200,
				[...this.tokens.values()].map(({ clientId, scopes, issuedAt, expiresAt, revoked }) => ({
					clientId,
					scopes,
					issuedAt,
					expiresAt,
					revoked,
				})),
			);
		}
		if (route === 'GET /__sandbox/stats') {
			return send(res, 200, {
				stored: this.events.length,
				requests: this.log.length,
				peakInFlight: this.peakInFlight,
			});
		}
		if (route === 'POST /__sandbox/reset') {
			this.reset();
			return send(res, 204);
		}
		if (route === 'POST /__sandbox/config') {
			let patch;
			try {
				patch = JSON.parse(raw.toString('utf8') || '{}');
			} catch {
				return send(res, 400, { code: 'invalid_parameter', message: 'config is not valid JSON' });
			}
			if (!isObject(patch))
				return send(res, 400, { code: 'invalid_parameter', message: 'config must be an object' });
			if (patch.ignoreOffset !== undefined) this.config.ignoreOffset = patch.ignoreOffset === true;
			if (patch.latencyMs !== undefined) this.config.latencyMs = patch.latencyMs;
			if (patch.batchMaxEvents !== undefined) this.config.batchMaxEvents = patch.batchMaxEvents;
			// tokenTtlMs: lifetime of tokens issued from now on; revokeTokens: true revokes those issued.
			if (patch.tokenTtlMs !== undefined) this.config.tokenTtlMs = patch.tokenTtlMs;
			if (patch.revokeTokens) for (const grant of this.tokens.values()) grant.revoked = true;
			if (patch.logBodies !== undefined) this.config.logBodies = patch.logBodies === true;
			if (patch.rateLimits) Object.assign(this.config.rateLimits, patch.rateLimits);
			// faults: {"POST /events": ["500", "drop", "ok", "429"]}, consumed one per request, in order.
			if (patch.faults) Object.assign(this.config.faults, patch.faults);
			// throttle: {"POST /events": 3000}: every request answers 429 for the next 3 s.
			for (const [r, ms] of Object.entries(patch.throttle ?? {}))
				this.config.throttle[r] = Date.now() + ms;
			return send(res, 204);
		}
		return send(res, 404, {
			code: 'document_not_found',
			message: `${route} is not a sandbox route`,
		});
	}
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
function bearerToken(req) {
	const match = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ''));
	return match ? match[1].trim() : undefined;
}

/**
 * Answers that are not Brevo's, as something else on the way may give them:
 * "redirect:<url>" (307) and "redirect302:<url>", "html" (a 200 HTML page, e.g. a captive
 * portal), "json207:<text>" (a 207 with the given body, e.g. a malformed errors list).
 */
function oddAnswer(fault) {
	if (!fault) return undefined;
	if (fault.startsWith('redirect:') || fault.startsWith('redirect302:')) {
		const [kind, ...rest] = fault.split(':');
		return {
			status: kind === 'redirect' ? 307 : 302,
			headers: { location: rest.join(':') },
			body: '',
		};
	}
	if (fault === 'html') {
		return {
			status: 200,
			headers: { 'content-type': 'text/html; charset=utf-8' },
			body: '<!DOCTYPE html><html><head><title>Wi-Fi login</title></head><body>Sign in</body></html>',
		};
	}
	if (fault.startsWith('json207:')) {
		return { status: 207, headers: { 'content-type': 'application/json' }, body: fault.slice(8) };
	}
	return undefined;
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function send(res, status, body, headers = {}) {
	const plain = { .../** @type {any} */ (headers) };
	delete plain.limited;
	if (body === undefined || status === 204) {
		res.writeHead(status, plain).end();
		return;
	}
	res.writeHead(status, { ...plain, 'content-type': 'application/json' }).end(JSON.stringify(body));
}

module.exports = { BrevoSandbox, eventProblem, ATTRIBUTES, ALL_SCOPES, TOKEN_ROUTE };

if (require.main === module) {
	const port = Number(process.env.BREVO_SANDBOX_PORT ?? 8787);
	const apiKey = process.env.BREVO_SANDBOX_API_KEY ?? 'xkeysib-sandbox';
	const latencyMs = Number(process.env.BREVO_SANDBOX_LATENCY_MS ?? 0);
	const onStore = (stored) =>
		console.log(
			`stored ${stored.event.event_name} for contact ${stored.contactId}: ${JSON.stringify(stored.event)}`,
		);
	new BrevoSandbox({ port, apiKey, latencyMs, onStore }).start().then((sandbox) => {
		console.log(`Brevo sandbox listening on ${sandbox.url}/v3 (api-key: ${apiKey})`);
		console.log(
			`Also: ${apiKey}-events-only (Events access only), ${apiKey}-expired (expired); OAuth2 client sandbox-client / sandbox-secret at ${sandbox.url}/realms/partner/oauth/token`,
		);
		console.log(`Stored events: ${sandbox.url}/__sandbox/events`);
	});
}
