/**
 * The workflows the end-to-end tests and `npm start` import into n8n. Built in code so that the
 * scenarios share their nodes; the Brevo node's parameters are the same ones the unit tests use.
 */
'use strict';

const seedParameters = require('../../fixtures/seed-parameters.json');

const NODE_TYPE = 'n8n-nodes-brevo-event.brevoEvent';
const SANDBOX_CREDENTIAL = { id: 'brevoSandbox0001', name: 'Brevo sandbox (127.0.0.1)' };
const WRONG_KEY_CREDENTIAL = { id: 'brevoWrongKey001', name: 'Brevo with a wrong key' };
const OAUTH2_CREDENTIAL = { id: 'brevoOAuth2Sbx01', name: 'Brevo sandbox OAuth2 (127.0.0.1)' };
const EVENTS_ONLY_CREDENTIAL = { id: 'brevoEventsOnly1', name: 'Brevo key restricted to events' };
const EXPIRED_KEY_CREDENTIAL = { id: 'brevoExpiredKey1', name: 'Brevo with an expired key' };

let nodeId = 0;
const id = () => `00000000-0000-4000-8000-${String(++nodeId).padStart(12, '0')}`;

const trigger = () => ({
	id: id(),
	name: 'When clicking ‘Execute workflow’',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
});

/** @param {string} jsCode */
const code = (jsCode) => ({
	id: id(),
	name: 'Make items',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	position: [220, 0],
	parameters: { jsCode },
});

/**
 * The Brevo Event node; with `authentication: 'oAuth2'` in its parameters it uses the OAuth2
 * credential (default: the sandbox's OAuth2 app), otherwise an API key credential.
 * @param {Record<string, unknown> & { authentication?: string }} parameters
 * @param {{ credential?: { id: string, name: string }, continueOnFail?: boolean, name?: string,
 *   onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput',
 *   retryOnFail?: { maxTries: number, waitBetweenTries: number } }} [options]
 *   The node's Settings: On Error (continueOnFail = Continue (using regular output)) and Retry On Fail.
 */
const brevoEvent = (parameters, options = {}) => ({
	id: id(),
	name: options.name ?? 'Brevo Event',
	type: NODE_TYPE,
	typeVersion: 1,
	position: [440, 0],
	parameters,
	credentials:
		parameters.authentication === 'oAuth2'
			? { brevoOAuth2Api: options.credential ?? OAUTH2_CREDENTIAL }
			: { brevoApi: options.credential ?? SANDBOX_CREDENTIAL },
	...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
	...(options.onError ? { onError: options.onError } : {}),
	...(options.retryOnFail ? { retryOnFail: true, ...options.retryOnFail } : {}),
});

/** @param {string} name A node that passes its input on: where a branch's items can be read. */
const noOp = (name) => ({
	id: id(),
	name,
	type: 'n8n-nodes-base.noOp',
	typeVersion: 1,
	position: [660, 0],
	parameters: {},
});

/**
 * A chain of nodes whose last node (the Brevo Event node, with On Error → Continue (using error
 * output)) feeds "Succeeded" from its success output and "Failed" from its error output.
 * @param {string} workflowId @param {string} name @param {object[]} nodes
 */
function workflowWithErrorOutput(workflowId, name, nodes) {
	const succeeded = noOp('Succeeded');
	const failed = noOp('Failed');
	const flow = workflow(workflowId, name, [...nodes, succeeded, failed]);
	const last = nodes[nodes.length - 1];
	delete flow.connections[succeeded.name];
	flow.connections[last.name] = {
		main: [
			[{ node: succeeded.name, type: 'main', index: 0 }],
			[{ node: failed.name, type: 'main', index: 0 }],
		],
	};
	return flow;
}

/** @param {string} workflowId @param {string} name @param {object[]} nodes */
function workflow(workflowId, name, nodes) {
	const connections = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return {
		id: workflowId,
		name,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/** Brevo's own example, typed into the node by hand. */
const seedExample = () =>
	workflow('brevoSeedExample', 'Brevo Event: seed example (video_played)', [
		trigger(),
		brevoEvent(seedParameters),
	]);

/** The seed example signed in with OAuth2 (machine-to-machine) instead of an API key. */
const seedExampleOAuth2 = () =>
	workflow('brevoSeedOAuth2', 'Brevo Event: seed example, OAuth2', [
		trigger(),
		brevoEvent({ ...seedParameters, authentication: 'oAuth2' }),
	]);

/** The seed example with a key restricted to events (it needs nothing else). */
const seedExampleEventsOnlyKey = () =>
	workflow('brevoSeedEventsOnly', 'Brevo Event: seed example, events-only key', [
		trigger(),
		brevoEvent(seedParameters, { credential: EVENTS_ONLY_CREDENTIAL }),
	]);

/** The seed example with a key that has expired. */
const seedExampleExpiredKey = () =>
	workflow('brevoSeedExpiredKey', 'Brevo Event: seed example, expired key', [
		trigger(),
		brevoEvent(seedParameters, { credential: EXPIRED_KEY_CREDENTIAL }),
	]);

/**
 * The same parameters with each `{{ … }}` in parentheses: n8n evaluates them to the same values,
 * but the drag-and-drop fast path does not recognise them: the node as it was without the fast path
 * (the fast-path tests and the benchmark compare the two).
 * @template T
 * @param {T} value
 * @returns {T}
 */
function withoutFastPath(value) {
	if (typeof value === 'string')
		return /** @type {T} */ (value.replace(/^=\{\{\s*(.*?)\s*\}\}$/s, '={{ ($1) }}'));
	if (Array.isArray(value)) return /** @type {T} */ (value.map(withoutFastPath));
	if (typeof value === 'object' && value !== null)
		return /** @type {T} */ (
			Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, withoutFastPath(entry)]))
		);
	return value;
}

/** Parameters mapping every field from the incoming item by expressions. */
const mappedParameters = {
	resource: 'event',
	operation: 'create',
	eventName: '={{ $json.event }}',
	identifiers: { emailId: '={{ $json.email }}', extId: '={{ $json.userId }}' },
	specifyContactProperties: 'keypair',
	contactProperties: {
		property: [
			{ name: 'FIRSTNAME', type: 'string', value: '={{ $json.firstName }}' },
			{ name: 'AGE', type: 'number', value: '={{ $json.age }}' },
		],
	},
	specifyEventProperties: 'keypair',
	eventProperties: {
		property: [
			{ name: 'seq', type: 'number', value: '={{ $json.seq }}' },
			{ name: 'total', type: 'number', value: '={{ $json.total }}' },
			{ name: 'gift', type: 'boolean', value: '={{ $json.gift }}' },
			{ name: 'ordered_at', type: 'date', value: '={{ $json.orderedAt }}' },
		],
	},
	additionalFields: {},
	options: {},
};

/** @param {number} count JavaScript for a Code node that makes `count` order items. */
const orderItems = (count) => `return Array.from({ length: ${count} }, (_, i) => ({
  json: {
    event: 'order_created',
    seq: i,
    email: 'buyer' + i + '@example.com',
    userId: 'user-' + i,
    firstName: 'Buyer ' + i,
    age: String(20 + (i % 50)),
    total: (i * 1.5).toFixed(2),
    gift: i % 2 === 0,
    orderedAt: 1706114397 + i * 60,
  },
}));`;

const mappedOrders = (count = 100) =>
	workflow('brevoMapped100', `Brevo Event: ${count} mapped orders`, [
		trigger(),
		code(orderItems(count)),
		brevoEvent(mappedParameters),
	]);

/**
 * The same orders read straight from the input fields (no expression per item): identifiers and
 * event date named by field, contact properties mapped automatically to the account's attributes
 * (firstName → FIRSTNAME, age → AGE), every other field an event property.
 */
const fieldParameters = {
	resource: 'event',
	operation: 'create',
	eventName: 'order_created',
	identifiersFrom: 'fields',
	identifierFields: { emailId: 'email', extId: 'userId' },
	specifyContactProperties: 'auto',
	specifyEventProperties: 'allFields',
	eventPropertiesExcept: 'event, email, userId, firstName, age',
	additionalFields: { eventDateField: 'orderedAt' },
	options: {},
};

/** What fieldParameters does, written with expressions: the same events must come out. */
const fieldTwinParameters = {
	resource: 'event',
	operation: 'create',
	eventName: 'order_created',
	identifiers: { emailId: '={{ $json.email }}', extId: '={{ $json.userId }}' },
	specifyContactProperties: 'keypair',
	contactProperties: {
		property: [
			{ name: 'FIRSTNAME', type: 'attribute', value: '={{ $json.firstName }}' },
			{ name: 'AGE', type: 'attribute', value: '={{ $json.age }}' },
		],
	},
	specifyEventProperties: 'json',
	eventPropertiesJson:
		'={{ { seq: $json.seq, total: $json.total, gift: $json.gift, orderedAt: $json.orderedAt } }}',
	additionalFields: { eventDate: '={{ $json.orderedAt }}' },
	options: {},
};

/** The fields a "Map Each Attribute" mapper stores for AGE and FIRSTNAME, as the editor saves them. */
const mapperSchema = [
	['AGE', 'float', 'number'],
	['FIRSTNAME', 'text', 'string'],
].map(([id, brevoType, type]) => ({
	id,
	displayName: `${id} (${brevoType})`,
	required: false,
	defaultMatch: false,
	canBeUsedToMatch: false,
	display: true,
	type,
	removed: false,
}));

/** Contact properties through n8n's resource mapper ("Map Each Attribute"), values mapped. */
const mapperParameters = {
	...fieldParameters,
	specifyContactProperties: 'mapper',
	contactAttributes: {
		mappingMode: 'defineBelow',
		value: { AGE: '={{ $json.age }}', FIRSTNAME: '={{ $json.firstName }}' },
		matchingColumns: [],
		schema: mapperSchema,
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	},
};

/** "Map Each Attribute" with typed values, as a user fills it in the editor (the e2e editor flow). */
const mapperEditorExample = () =>
	workflow('brevoMapperEditor', 'Brevo Event: contact attributes mapped one by one', [
		trigger(),
		brevoEvent({
			resource: 'event',
			operation: 'create',
			eventName: 'profile_updated',
			identifiers: { emailId: 'jane.doe@example.com' },
			specifyContactProperties: 'mapper',
			contactAttributes: { mappingMode: 'defineBelow', value: null },
			additionalFields: {},
			options: {},
		}),
	]);

/** Orders with one bad item of each kind among good ones (seq tells them apart). */
const mixedOrderItems = `const good = (i) => ({ event: 'order_created', seq: i, email: 'buyer' + i + '@example.com', userId: 'user-' + i, firstName: 'Buyer ' + i, age: String(20 + i), total: (i * 1.5).toFixed(2), gift: i % 2 === 0, orderedAt: 1706114397 + i * 60 });
return [
  good(0),
  { ...good(1), age: 'forty' },
  { ...good(2), email: 'nobody' },
  { ...good(3), orderedAt: 'someday' },
  { ...good(4), email: '', userId: '' },
  good(5),
].map((json) => ({ json }));`;

/** The mixed orders through the input-field modes, through expressions, and through the mapper. */
const fieldModes = () => [
	workflow('brevoFieldsMixed', 'Brevo Event: mixed orders from input fields', [
		trigger(),
		code(mixedOrderItems),
		brevoEvent(fieldParameters, { continueOnFail: true }),
	]),
	workflow('brevoTwinMixed', 'Brevo Event: mixed orders by expressions', [
		trigger(),
		code(mixedOrderItems),
		brevoEvent(fieldTwinParameters, { continueOnFail: true }),
	]),
	workflow('brevoMapperMixed', 'Brevo Event: mixed orders, attributes mapped one by one', [
		trigger(),
		code(mixedOrderItems),
		brevoEvent(mapperParameters, { continueOnFail: true }),
	]),
	workflow(
		'brevoFieldsBulk',
		'Brevo Event: 1,000 orders from input fields, batches, outcome only',
		[
			trigger(),
			code(orderItems(1000)),
			brevoEvent({ ...fieldParameters, options: { sendMode: 'batch', output: 'outcome' } }),
		],
	),
];

/** Mapped orders with OAuth2, paced at `requestsPerSecond`: a long run that outlives a token. */
const mappedOrdersOAuth2 = (count = 20, requestsPerSecond = 5) =>
	workflow('brevoMappedOAuth2', `Brevo Event: ${count} mapped orders, OAuth2`, [
		trigger(),
		code(orderItems(count)),
		brevoEvent({ ...mappedParameters, authentication: 'oAuth2', options: { requestsPerSecond } }),
	]);

/** Good and bad items, Continue On Fail: bad ones must become error items and not be sent. */
const mixedWithContinueOnFail = () =>
	workflow('brevoContinueFail', 'Brevo Event: bad items continue', [
		trigger(),
		code(`const good = (i) => ({ event: 'order_created', seq: i, email: 'ok' + i + '@example.com', userId: 'u' + i, firstName: 'Ok', age: '40', total: '10', gift: false, orderedAt: '2024-01-24T17:39:57+01:00' });
return [
  good(0),
  { ...good(1), event: 'order created' },
  good(2),
  { ...good(3), age: 'forty' },
  { ...good(4), email: '', userId: '' },
  good(5),
].map((json) => ({ json }));`),
		brevoEvent(mappedParameters, { continueOnFail: true }),
	]);

const wrongKey = () =>
	workflow('brevoWrongKey', 'Brevo Event: wrong API key', [
		trigger(),
		brevoEvent(seedParameters, { credential: WRONG_KEY_CREDENTIAL }),
	]);

const rateLimited = (count = 30) =>
	workflow('brevoRateLimited', 'Brevo Event: through 429s', [
		trigger(),
		code(orderItems(count)),
		brevoEvent(mappedParameters),
	]);

/** Reads back the events stored for the seed example's name. */
const getManyExample = () =>
	workflow('brevoGetMany', 'Brevo Event: get the last video_played events', [
		trigger(),
		brevoEvent({
			resource: 'event',
			operation: 'getAll',
			returnAll: false,
			limit: 10,
			filters: { eventNames: 'video_played' },
		}),
	]);

const TRIGGER_TYPE = 'n8n-nodes-brevo-event.brevoEventTrigger';

/**
 * Poll times every `seconds` (a divisor of 60): a user can add several (*Add Poll Time*), and n8n
 * accepts each because each is a whole-minute cron at a fixed second (n8n refuses a single cron
 * under a minute). Tests wait a fraction of what n8n's default (every minute) makes them wait.
 * @param {number} seconds
 */
const pollEvery = (seconds) =>
	Array.from({ length: 60 / seconds }, (_, i) => ({
		mode: 'custom',
		cronExpression: `${i * seconds} * * * * *`,
	}));

/** @param {Record<string, unknown>} parameters @param {{ id: string, name: string }} [credential] */
const triggerNode = (parameters, credential) => ({
	id: id(),
	name: 'Brevo Event Trigger',
	type: TRIGGER_TYPE,
	typeVersion: 1,
	position: [0, 0],
	parameters: { pollTimes: { item: pollEvery(15) }, ...parameters },
	credentials:
		parameters.authentication === 'oAuth2'
			? { brevoOAuth2Api: credential ?? OAUTH2_CREDENTIAL }
			: { brevoApi: credential ?? SANDBOX_CREDENTIAL },
});

/** @param {string} url @param {string} jsonBody */
const postTo = (url, jsonBody) => ({
	id: id(),
	name: 'Report',
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	position: [440, 0],
	parameters: { method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody, options: {} },
});

/**
 * An active workflow started by the Brevo Event Trigger (polling every 15 seconds unless
 * `parameters.pollTimes` says otherwise); an HTTP Request node posts each event it emits, with
 * the workflow's and the execution's ids, to `collectorUrl` (a test's server).
 * @param {string} workflowId @param {string} collectorUrl
 * @param {Record<string, unknown>} [parameters] the trigger's
 */
const triggerToCollector = (workflowId, collectorUrl, parameters = {}) =>
	workflow(workflowId, 'Brevo Event Trigger: each event to a collector', [
		triggerNode(parameters),
		postTo(
			collectorUrl,
			'={{ JSON.stringify({ workflow: $workflow.id, execution: $execution.id, event: $json }) }}',
		),
	]);

/**
 * The same with thousands of events per poll: a Code node sums each execution up in one item (the
 * events' `seq` and `event_date`, in the order emitted), posted once to `collectorUrl`.
 * @param {string} workflowId @param {string} collectorUrl
 * @param {{ id: string, name: string }} credential @param {Record<string, unknown>} parameters
 */
const triggerSummaryToCollector = (workflowId, collectorUrl, credential, parameters) =>
	workflow(workflowId, 'Brevo Event Trigger: each poll summed up to a collector', [
		triggerNode(parameters, credential),
		code(`const events = $input.all().map((item) => item.json);
return [{ json: {
  workflow: $workflow.id,
  execution: $execution.id,
  seqs: events.map((e) => e.event_properties.seq),
  dates: events.map((e) => e.event_date),
} }];`),
		postTo(collectorUrl, '={{ JSON.stringify($json) }}'),
	]);

/**
 * `count` orders sent by the Brevo Event node (no event_date: Brevo dates them on receipt), seq
 * numbers from `firstSeq`.
 * @param {string} workflowId @param {number} count @param {number} firstSeq
 */
const sendOrders = (workflowId, count, firstSeq) =>
	workflow(workflowId, `Brevo Event: ${count} orders from ${firstSeq}`, [
		trigger(),
		code(orderItems(count).replace('seq: i,', `seq: ${firstSeq} + i,`)),
		brevoEvent(mappedParameters),
	]);

/** @param {string} baseUrl @param {string} apiKey @param {string} wrongApiKey */
const credentials = (baseUrl, apiKey, wrongApiKey) => [
	{ ...SANDBOX_CREDENTIAL, type: 'brevoApi', data: { apiKey, baseUrl } },
	{ ...WRONG_KEY_CREDENTIAL, type: 'brevoApi', data: { apiKey: wrongApiKey, baseUrl } },
];

/**
 * The credentials of the authentication scenarios: the sandbox's OAuth2 app, a key restricted to
 * events and an expired key.
 * @param {string} sandboxUrl the sandbox's root (its API is under /v3, its token endpoint at the root)
 * @param {{ clientId: string, clientSecret: string, eventsOnlyKey: string, expiredKey: string }} secrets
 */
const authCredentials = (sandboxUrl, secrets) => [
	{
		...OAUTH2_CREDENTIAL,
		type: 'brevoOAuth2Api',
		data: {
			grantType: 'clientCredentials',
			accessTokenUrl: `${sandboxUrl}/realms/partner/oauth/token`,
			clientId: secrets.clientId,
			clientSecret: secrets.clientSecret,
			scope: 'events:write events:read contacts:read',
			authentication: 'header',
			baseUrl: `${sandboxUrl}/v3`,
		},
	},
	{
		...EVENTS_ONLY_CREDENTIAL,
		type: 'brevoApi',
		data: { apiKey: secrets.eventsOnlyKey, baseUrl: `${sandboxUrl}/v3` },
	},
	{
		...EXPIRED_KEY_CREDENTIAL,
		type: 'brevoApi',
		data: { apiKey: secrets.expiredKey, baseUrl: `${sandboxUrl}/v3` },
	},
];

module.exports = {
	trigger,
	code,
	brevoEvent,
	noOp,
	workflow,
	workflowWithErrorOutput,
	orderItems,
	seedExample,
	seedExampleOAuth2,
	seedExampleEventsOnlyKey,
	seedExampleExpiredKey,
	getManyExample,
	triggerToCollector,
	triggerSummaryToCollector,
	pollEvery,
	sendOrders,
	mappedOrders,
	mappedOrdersOAuth2,
	mixedWithContinueOnFail,
	wrongKey,
	rateLimited,
	credentials,
	authCredentials,
	mappedParameters,
	withoutFastPath,
	fieldParameters,
	fieldTwinParameters,
	mapperParameters,
	fieldModes,
	mapperEditorExample,
	SANDBOX_CREDENTIAL,
	OAUTH2_CREDENTIAL,
	EVENTS_ONLY_CREDENTIAL,
	EXPIRED_KEY_CREDENTIAL,
	NODE_TYPE,
	TRIGGER_TYPE,
};
