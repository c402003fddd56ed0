import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { DeliveryMemory } from '../../delivery/deliveryMemory';
import { EventSender } from '../../delivery/EventSender';
import { fieldErrorToNodeError } from '../../output/items';
import { readCreateSettings, readEventInput } from '../../parameters/create.parameters';
import {
	ADDITIONAL_FIELDS,
	EVENT_DATE,
	EVENT_DATE_FIELD,
	EVENT_NAME,
	EVENT_OBJECT,
	IDENTIFIER_PARAMETERS,
	OPTION,
	OPTIONS,
	PROPERTY_PARAMETERS,
} from '../../parameters/names';
import type { ContactAttributes } from '../../payload/attributes';
import { checkFitsInBatch } from '../../payload/batches';
import {
	buildEventPayload,
	type BrevoEventPayload,
	type IdentifierParameter,
} from '../../payload/event';
import { BrevoTransport } from '../../transport/BrevoTransport';
import { fetchContactAttributes } from '../../transport/index';
import {
	inMode,
	inputFieldList,
	propertyRow,
	ROWS_AND_JSON_MODES,
	valueTypes,
} from '../common.descriptions';
import { emptyAttributeNameHint, explainEmptyAttributeName } from './emptyAttributeName';

const CONTACT = PROPERTY_PARAMETERS.contact;
const EVENT = PROPERTY_PARAMETERS.event;

const identifierValues = [
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'number',
		default: 0,
		description: "Brevo's numeric contact ID. When set, Brevo uses it before any other identifier.",
	},
	{
		displayName: 'Email',
		name: 'emailId',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: "The contact's email address",
	},
	{
		displayName: 'External ID',
		name: 'extId',
		type: 'string',
		default: '',
		description: "The contact's ID in your own system (Brevo's ext_id)",
	},
	{
		displayName: 'Landline Number',
		name: 'landlineNumberId',
		type: 'string',
		default: '',
		placeholder: '+33123456789',
		description: "The contact's landline number, with country code",
	},
	{
		displayName: 'Phone (SMS)',
		name: 'phoneId',
		type: 'string',
		default: '',
		placeholder: '+33612345678',
		description: "The contact's SMS number, with + and country code",
	},
	{
		displayName: 'WhatsApp',
		name: 'whatsappId',
		type: 'string',
		default: '',
		placeholder: '+33612345678',
		description: "The contact's WhatsApp number, with + and country code",
	},
	// Literal names for n8n's lint, checked against the payload's IDENTIFIERS by the compiler.
] satisfies Array<INodeProperties & { name: IdentifierParameter }>;

/** Identifiers From › Input Fields Named Below: the name of the input field holding each one. */
const identifierFields: INodeProperties[] = (
	[
		['contactId', 'Contact ID', "Brevo's numeric contact ID", 'e.g. brevo_id'],
		['emailId', 'Email', "the contact's email address", 'e.g. email'],
		['extId', 'External ID', "the contact's ID in your own system", 'e.g. user_id'],
		['landlineNumberId', 'Landline Number', "the contact's landline number", 'e.g. landline'],
		['phoneId', 'Phone (SMS)', "the contact's SMS number", 'e.g. mobile'],
		['whatsappId', 'WhatsApp', "the contact's WhatsApp number", 'e.g. whatsapp'],
		// The names checked against the payload's IDENTIFIERS by the compiler.
	] satisfies Array<[IdentifierParameter, string, string, string]>
).map(([name, displayName, what, placeholder]) => ({
	displayName,
	name,
	type: 'string' as const,
	default: '',
	placeholder,
	requiresDataPath: 'single' as const,
	description: `Name of the input field that holds ${what}`,
}));

/** Contact Properties: a mode, then the input of the chosen mode under a label of its own. */
const contactProperties: INodeProperties[] = [
	{
		displayName: 'Contact Properties',
		name: CONTACT.mode,
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'None', value: 'none', description: 'Send no contact properties' },
			{
				name: 'Map Automatically',
				value: 'auto',
				description:
					"Send each input field named like one of your Brevo contact attributes (firstName, firstname and FIRSTNAME all match FIRSTNAME), converted to the attribute's type. No expression per item: the fastest way for bulk sends. Costs one extra request per execution.",
			},
			{
				name: 'Map Each Attribute',
				value: 'mapper',
				description:
					"Pick attributes of your Brevo account and map or type a value for each, converted to the attribute's type. Costs one extra request per execution.",
			},
			...ROWS_AND_JSON_MODES,
		],
		default: 'none',
		description: 'Whether to send contact properties, and where their values come from',
	},
	{
		displayName: 'Attributes to Update',
		name: CONTACT.rows,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Attribute',
		default: {},
		description:
			'Contact attributes to update with this event, one row per attribute, each sent in its type',
		displayOptions: inMode(CONTACT.mode, ['keypair']),
		options: [
			propertyRow(
				{
					displayName: 'Name or ID',
					name: 'name',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getContactAttributes' },
					default: '',
					description:
						'Contact attribute to update, as named in Brevo (upper case, e.g. FIRSTNAME, AGE). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				[
					...valueTypes({
						name: 'Date',
						value: 'date',
						description: "Sent as YYYY-MM-DD, Brevo's format for date attributes",
					}),
					{
						name: 'Type of the Brevo Attribute',
						value: 'attribute',
						description:
							"Converted to the attribute's type in your Brevo account (text, float, boolean, date, category, multiple-choice); costs one extra request per execution",
					},
				],
			),
		],
	},
	{
		displayName: 'Contact Properties (JSON)',
		name: CONTACT.json,
		type: 'json',
		default: '{}',
		displayOptions: inMode(CONTACT.mode, ['json']),
		description:
			'Contact attributes to update, as one JSON object. Values: string, number, boolean, or a list of strings for a multiple-choice attribute. Example: {"FIRSTNAME": "Jane", "AGE": 32}',
	},
];

/** Event Properties: a mode, then the input of the chosen mode under a label of its own. */
const eventProperties: INodeProperties[] = [
	{
		displayName: 'Event Properties',
		name: EVENT.mode,
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'None', value: 'none', description: 'Send no event properties' },
			{
				name: 'All Input Fields',
				value: 'allFields',
				description:
					'Send every field of the input item as it is (in its JSON type), except those you name. No expression per item: the fastest way for bulk sends.',
			},
			{
				name: 'Selected Input Fields',
				value: 'namedFields',
				description: 'Send the input fields you name, as they are (in their JSON types)',
			},
			...ROWS_AND_JSON_MODES,
		],
		default: 'none',
		description: 'Whether to send event properties, and where their values come from',
	},
	{
		displayName: 'Properties to Send',
		name: EVENT.rows,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Property',
		default: {},
		description: 'Properties of the event, one row per property, each sent in its type',
		displayOptions: inMode(EVENT.mode, ['keypair']),
		options: [
			propertyRow(
				{
					displayName: 'Name',
					name: 'name',
					type: 'string',
					default: '',
					placeholder: 'e.g. video_title',
					description: 'Property name: 1–255 characters, letters, digits, "-" and "_" only',
				},
				valueTypes({
					name: 'Date',
					value: 'date',
					description: 'Sent as ISO 8601 with offset, e.g. 2024-01-24T17:39:57+01:00',
				}),
			),
		],
	},
	{
		displayName: 'Event Properties (JSON)',
		name: EVENT.json,
		type: 'json',
		default: '{}',
		displayOptions: inMode(EVENT.mode, ['json']),
		description:
			'Properties of the event as one JSON object; may nest objects and arrays. Keys: letters, digits, "-" and "_". At most 50 KB. Example: {"order_id": "A-1001", "total": 59.9, "items": [{"sku": "TSHIRT", "qty": 2}]}',
	},
];

/** The inputs of the modes that read the account's attributes or the input item's fields. */
const fieldModeInputs: INodeProperties[] = [
	{
		displayName: 'Attributes to Update',
		name: CONTACT.mapper,
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		description: "Contact attributes of your Brevo account, each sent in its attribute's type",
		displayOptions: inMode(CONTACT.mode, ['mapper']),
		typeOptions: {
			resourceMapper: {
				resourceMapperMethod: 'getContactAttributeFields',
				mode: 'add',
				fieldWords: { singular: 'attribute', plural: 'attributes' },
				addAllFields: false,
				supportAutoMap: false,
				noFieldsError: 'This Brevo account has no contact attributes',
			},
		},
	},
	inputFieldList({
		displayName: 'Except Input Fields',
		name: CONTACT.except,
		placeholder: 'e.g. sms, email',
		description:
			'Input fields not to send even though their name matches a contact attribute, separated by commas',
		displayOptions: inMode(CONTACT.mode, ['auto']),
	}),
	inputFieldList({
		displayName: 'Except Input Fields',
		name: EVENT.except,
		placeholder: 'e.g. email, firstName',
		description:
			'Input fields not to send as event properties, separated by commas, e.g. the ones already used as identifiers',
		displayOptions: inMode(EVENT.mode, ['allFields']),
	}),
	inputFieldList({
		displayName: 'Input Fields to Send',
		name: EVENT.fields,
		placeholder: 'e.g. order_id, total, items',
		description:
			'Input fields to send as event properties, separated by commas; a field an item lacks is left out',
		displayOptions: inMode(EVENT.mode, ['namedFields']),
	}),
];

const additionalFields: INodeProperties = {
	displayName: 'Additional Fields',
	name: ADDITIONAL_FIELDS,
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	description: 'Optional fields of the event: when it happened, and the object it concerns',
	options: [
		{
			displayName: 'Event Date',
			name: EVENT_DATE,
			type: 'dateTime',
			default: '',
			description:
				'When the event happened. Accepts ISO 8601 (without offset: the workflow time zone), n8n dates, epoch seconds or milliseconds. Default: when Brevo receives it.',
		},
		{
			displayName: 'Event Date Field',
			name: EVENT_DATE_FIELD,
			type: 'string',
			default: '',
			placeholder: 'e.g. ordered_at',
			requiresDataPath: 'single',
			description:
				'Name of the input field that holds when the event happened, read from each item without an expression. Instead of Event Date; same formats.',
		},
		{
			displayName: 'Object',
			name: EVENT_OBJECT.name,
			type: 'fixedCollection',
			default: {},
			placeholder: 'Add Object',
			description:
				'A Brevo object record to link the event to. Brevo ignores it if the type or record does not exist.',
			options: [
				{
					displayName: 'Object',
					name: EVENT_OBJECT.values,
					values: [
						{
							displayName: 'Type',
							name: 'type',
							type: 'string',
							default: '',
							placeholder: 'e.g. subscription',
							description: 'Object type, as defined in your Brevo account',
						},
						{
							displayName: 'Identify By',
							name: 'idType',
							type: 'options',
							options: [
								{ name: 'ID', value: 'id', description: "Brevo's ID of the record" },
								{ name: 'External ID', value: 'ext_id', description: 'Your own ID of the record' },
							],
							default: 'id',
							description: 'Which identifier the value below is',
						},
						{
							displayName: 'ID',
							name: 'id',
							type: 'string',
							default: '',
							description: 'The identifier of the object record',
						},
					],
				},
			],
		},
	],
};

const options: INodeProperties = {
	displayName: 'Options',
	name: OPTIONS,
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description:
		'How events are sent to Brevo and what the output holds; none of these changes what is sent',
	options: [
		{
			displayName: 'Max Rate-Limit Wait (Seconds)',
			name: OPTION.maxRateLimitWait,
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 86_400 },
			default: 120,
			description:
				"How long one event may wait in total for Brevo's rate limit to clear (429s, and pacing slowed because the account's window stays full) before it is reported as failed. Nothing is stored on a 429, so waiting never duplicates.",
		},
		{
			displayName: 'Output',
			name: OPTION.output,
			type: 'options',
			options: [
				{
					name: 'Outcome and Event Sent',
					value: 'event',
					description: 'Each output item holds the outcome and the whole event as sent',
				},
				{
					name: 'Outcome Only',
					value: 'outcome',
					description:
						"Each output item holds the outcome (status, Brevo's answer) and the event's identifiers: less memory for bulk sends",
				},
			],
			default: 'event',
			description: 'What each output item holds besides the outcome',
		},
		{
			displayName: 'Requests per Second',
			name: OPTION.requestsPerSecond,
			type: 'number',
			typeOptions: { minValue: 0.1, maxValue: 100, numberPrecision: 1 },
			default: 10,
			description:
				'Upper bound on requests started per second. Brevo allows 10/s on every plan and 20/s on Professional and Enterprise.',
		},
		{
			displayName: 'Retry on Server Errors',
			name: OPTION.retryServerErrors,
			type: 'boolean',
			default: true,
			description:
				'Whether to retry after a 5xx answer or a dropped connection (up to 3 times, 1 s, 2 s, 4 s apart). Brevo may have stored the first try, so a retry can duplicate an event.',
		},
		{
			displayName: 'Send Mode',
			name: OPTION.sendMode,
			type: 'options',
			options: [
				{
					name: 'One Request per Event',
					value: 'single',
					description: 'POST /events for each item. Brevo answers 204 once the event is stored.',
				},
				{
					name: 'Batches of up to 200 Events',
					value: 'batch',
					description:
						'POST /events/batch, up to 200 events and 512 KB per request: about 20× faster in bulk. Brevo answers 202 once the events are queued, and processes them later.',
				},
			],
			default: 'single',
			description:
				'How events travel to Brevo. Batches are for bulk sends; single requests confirm that each event was stored.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: OPTION.timeout,
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 3_600 },
			default: 30,
			description:
				"How long to wait for Brevo's answer to one request. A request that times out may or may not have been stored.",
		},
	],
};

const properties: INodeProperties[] = [
	{
		displayName: 'Event Name',
		name: EVENT_NAME,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. video_played',
		description:
			'Name of the event, as Brevo automations and segments will see it. 1–255 characters: letters, digits, "-" and "_" only.',
	},
	{
		displayName: 'Identifiers From',
		name: IDENTIFIER_PARAMETERS.mode,
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Values Below',
				value: 'values',
				description: "Type or map (drag and drop) each identifier's value",
			},
			{
				name: 'Input Fields Named Below',
				value: 'fields',
				description:
					'Name the input field that holds each identifier, e.g. email: read from each item directly, no expression per item (fastest for bulk sends)',
			},
		],
		default: 'values',
		description: 'Where the identifiers of the contact come from',
	},
	{
		displayName: 'Identifiers',
		name: IDENTIFIER_PARAMETERS.values,
		type: 'collection',
		placeholder: 'Add Identifier',
		default: {},
		description:
			'Which contact did this. At least one identifier with a value is required; empty ones are left out.',
		displayOptions: inMode(IDENTIFIER_PARAMETERS.mode, ['values']),
		options: identifierValues,
	},
	{
		displayName: 'Identifier Fields',
		name: IDENTIFIER_PARAMETERS.fields,
		type: 'collection',
		placeholder: 'Add Identifier Field',
		default: {},
		description:
			'Which contact did this: the name of the input field holding each identifier (drag a field here to drop its name). At least one must have a value in each item; empty ones are left out.',
		displayOptions: inMode(IDENTIFIER_PARAMETERS.mode, ['fields']),
		options: identifierFields,
	},
	...contactProperties,
	...eventProperties,
	...fieldModeInputs,
	additionalFields,
	options,
];

export const description = updateDisplayOptions(
	{ show: { resource: ['event'], operation: ['create'] } },
	properties,
);

/**
 * Create: one event per input item. Each item's parameters are read and turned into Brevo's
 * payload (validated, typed), then handed to the sender, which paces requests and keeps one output
 * item per input item, success or error, paired with it.
 *
 * Under Continue On Fail, items stream: an item is sent while later ones are still being read, and
 * a bad item becomes its own error item. Otherwise a bad item must stop the run before anything is
 * sent — Brevo has no idempotency key, so events sent before the failure would be sent a second
 * time when the user fixes the data and runs again — so every item is read and validated first.
 *
 * With n8n's Retry On Fail, an item Brevo confirmed in an earlier try (known by its input) is
 * reported as confirmed and not sent again; its event is rebuilt only to be shown, so a value that
 * fails on this try does not matter for it.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const zone = this.getTimezone();
	const continueOnFail = this.continueOnFail();
	const settings = readCreateSettings(this);
	const transport = await BrevoTransport.create(this, settings.transport);
	const attributes: ContactAttributes | undefined = settings.usesAttributeTypes
		? await fetchContactAttributes(transport)
		: undefined;
	const emptyNameHint = settings.contactRowWithoutName
		? await emptyAttributeNameHint(transport, attributes !== undefined)
		: undefined;
	const build = (itemIndex: number): BrevoEventPayload => {
		try {
			const event = buildEventPayload(readEventInput(this, itemIndex, settings), zone, attributes);
			if (settings.sendMode === 'batch') checkFitsInBatch(event);
			return event;
		} catch (error) {
			throw explainEmptyAttributeName(error, emptyNameHint);
		}
	};
	const shown = (itemIndex: number): BrevoEventPayload | undefined => {
		try {
			return build(itemIndex);
		} catch {
			return undefined;
		}
	};
	const memory = DeliveryMemory.forRun(this);
	const sender = new EventSender(
		this,
		transport,
		settings.sendMode,
		continueOnFail,
		items.length,
		memory,
		settings.output,
	);

	try {
		if (continueOnFail) {
			for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
				const earlier = memory?.recall(itemIndex);
				if (earlier) {
					sender.confirmedEarlier(itemIndex, earlier, shown(itemIndex));
					continue;
				}
				try {
					await sender.add(build(itemIndex), itemIndex);
				} catch (error) {
					sender.fail(itemIndex, fieldErrorToNodeError(this, error, itemIndex));
				}
			}
			return await sender.finish();
		}

		const events = items.map((_, itemIndex) => {
			if (memory?.recall(itemIndex)) return undefined;
			try {
				return build(itemIndex);
			} catch (error) {
				throw fieldErrorToNodeError(this, error, itemIndex);
			}
		});
		for (let itemIndex = 0; itemIndex < events.length && !sender.stopped; itemIndex++) {
			const event = events[itemIndex];
			const earlier = event ? undefined : memory?.recall(itemIndex);
			if (earlier) sender.confirmedEarlier(itemIndex, earlier, shown(itemIndex));
			else if (event) await sender.add(event, itemIndex);
		}
		return await sender.finish();
	} finally {
		// A try that threw before finish() (an invalid item) ends here; n8n may retry it.
		memory?.end(true);
	}
}
