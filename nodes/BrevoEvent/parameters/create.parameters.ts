import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type ResourceMapperValue,
} from 'n8n-workflow';

import type { SendMode } from '../delivery/EventSender';
import type { OutputMode } from '../output/items';
import type { EventInput } from '../payload/event';
import {
	allFieldsExcept,
	fieldValue,
	identifiersFromFields,
	mappedAttributeRows,
	namedFields,
	parseFieldList,
} from '../payload/inputFields';
import { tooDeep } from '../payload/json';
import { HAND_TO_N8N } from './itemPath';
import type { PropertiesInput, PropertyRow, PropertyTarget } from '../payload/properties';
import type { TransportOptions } from '../transport/BrevoTransport';
import {
	ADDITIONAL_FIELDS,
	EVENT_DATE,
	EVENT_DATE_FIELD,
	EVENT_NAME,
	IDENTIFIER_PARAMETERS,
	EVENT_OBJECT,
	OPTION,
	OPTIONS,
	PROPERTY_PARAMETERS,
	PROPERTY_ROW,
	type ContactPropertiesMode,
	type EventPropertiesMode,
	type IdentifiersMode,
} from './names';
import { planParameter, resolveParameter, type ParameterPlan } from './pathParameters';

/**
 * Reading Create's parameters. n8n 2.x pays for every getNodeParameter call (and far more for each
 * expression in it), so item-independent facts are read once per execution, a parameter that holds
 * no expression is read once and reused for every item, a parameter whose expressions only read
 * paths of the item (drag and drop: `{{ $json.email }}`) is resolved from the item's JSON without
 * n8n's evaluator, and the modes that name input fields read the item's JSON directly.
 */

/** Whether a raw parameter value holds an expression anywhere (n8n marks them with a leading "="). */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (typeof value === 'object' && value !== null)
		return Object.values(value).some(holdsExpression);
	return false;
}

/** How a parameter is read: n8n's getNodeParameter, or a wrapper of it. */
type ParameterFetch = (
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: unknown,
) => unknown;

/**
 * Reads parameters per item, but only once those that hold no expression: their value is the same
 * for every item. One whose expressions are all drag-and-drop paths is read from the item's JSON
 * (pathParameters.ts), with getNodeParameter's result; for any item where that is not certain, and
 * for any other expression, n8n evaluates it as before. `derive` (parsing a list, say) runs once
 * for a fixed parameter too; each parameter is read with one `derive` only.
 */
export class ParameterReader {
	private readonly fixed = new Map<string, unknown>();
	/** Each parameter's plan, null where n8n must evaluate (made on its first read). */
	private readonly plans = new Map<string, ParameterPlan | null>();

	constructor(
		private readonly raw: IDataObject,
		private readonly items: INodeExecutionData[],
	) {}

	get<T = unknown>(
		ctx: IExecuteFunctions,
		name: string,
		itemIndex: number,
		fallback: unknown,
		derive: (value: unknown) => T = (value) => value as T,
		fetch: ParameterFetch = (c, n, i, f) => c.getNodeParameter(n, i, f),
	): T {
		if (this.fixed.has(name)) return this.fixed.get(name) as T;
		if (!holdsExpression(this.raw[name])) {
			const value = derive(fetch(ctx, name, itemIndex, fallback));
			this.fixed.set(name, value);
			return value;
		}
		const plan = this.planOf(name);
		if (plan !== null) {
			const value = resolveParameter(plan, this.items[itemIndex]?.json);
			if (value !== HAND_TO_N8N) return derive(value);
		}
		return derive(fetch(ctx, name, itemIndex, fallback));
	}

	private planOf(name: string): ParameterPlan | null {
		let plan = this.plans.get(name);
		if (plan === undefined) {
			plan = planParameter(this.raw[name]) ?? null;
			this.plans.set(name, plan);
		}
		return plan;
	}
}

/** What Create reads once per execution. */
export interface CreateSettings {
	contactMode: ContactPropertiesMode;
	eventMode: EventPropertiesMode;
	identifiersMode: IdentifiersMode;
	/** Whether any additional field is set at all: if not, reading it per item is wasted work. */
	hasAdditionalFields: boolean;
	/** Whether contact property values take their type from the account's attributes. */
	usesAttributeTypes: boolean;
	/** Whether a contact property row has a value but no Name (not an expression): see emptyAttributeName.ts. */
	contactRowWithoutName: boolean;
	sendMode: SendMode;
	output: OutputMode;
	transport: Partial<TransportOptions>;
	/** The input items, whose JSON the input-field modes read. */
	items: INodeExecutionData[];
	parameters: ParameterReader;
}

export function readCreateSettings(ctx: IExecuteFunctions): CreateSettings {
	const raw = ctx.getNode().parameters;
	const items = ctx.getInputData();
	const contactMode = ctx.getNodeParameter(
		PROPERTY_PARAMETERS.contact.mode,
		0,
		'none',
	) as ContactPropertiesMode;
	const options = ctx.getNodeParameter(OPTIONS, 0, {}) as IDataObject;
	const transport: Partial<TransportOptions> = {};
	// All accept expressions: whatever they resolve to is checked and bounded, never silently replaced.
	if (options[OPTION.requestsPerSecond] !== undefined)
		transport.requestsPerSecond = boundedOption(ctx, options, 'requestsPerSecond');
	const retryServerErrors = options[OPTION.retryServerErrors];
	if (typeof retryServerErrors === 'boolean') transport.retryServerErrors = retryServerErrors;
	if (options[OPTION.maxRateLimitWait] !== undefined)
		transport.maxRateLimitWaitMs = boundedOption(ctx, options, 'maxRateLimitWait') * 1000;
	if (options[OPTION.timeout] !== undefined)
		transport.timeoutMs = boundedOption(ctx, options, 'timeout') * 1000;
	const additional = (raw[ADDITIONAL_FIELDS] as IDataObject | undefined) ?? {};
	if (isSet(additional[EVENT_DATE]) && isSet(additional[EVENT_DATE_FIELD])) {
		throw new NodeOperationError(
			ctx.getNode(),
			'Additional Fields: Event Date and Event Date Field are both set',
			{
				description:
					'Keep one: Event Date takes the date itself (typed or mapped), Event Date Field the name of the input field that holds it.',
			},
		);
	}
	return {
		contactMode,
		eventMode: ctx.getNodeParameter(
			PROPERTY_PARAMETERS.event.mode,
			0,
			'none',
		) as EventPropertiesMode,
		identifiersMode:
			ctx.getNodeParameter(IDENTIFIER_PARAMETERS.mode, 0, 'values') === 'fields'
				? 'fields'
				: 'values',
		hasAdditionalFields: Object.keys(additional).length > 0,
		usesAttributeTypes:
			contactMode === 'auto' ||
			contactMode === 'mapper' ||
			(contactMode === 'keypair' && rowsUseAttributeTypes(raw)),
		contactRowWithoutName: contactMode === 'keypair' && rowWithoutName(raw),
		sendMode: options[OPTION.sendMode] === 'batch' ? 'batch' : 'single',
		output: options[OPTION.output] === 'outcome' ? 'outcome' : 'event',
		transport,
		items,
		parameters: new ParameterReader(raw, items),
	};
}

function isSet(value: unknown): boolean {
	return value !== undefined && value !== null && value !== '';
}

/**
 * The numeric options' bounds. Above them a value means nothing Brevo can use, and past 2^31-1 ms
 * (~24.8 days) Node's timers turn a delay into 1 ms: a Timeout of a year would abort each request
 * at once and retry it.
 */
export const OPTION_BOUNDS = {
	requestsPerSecond: {
		name: 'Requests per Second',
		min: 0,
		minIncluded: false,
		max: 100,
		description:
			"Set it to your Brevo plan's limit (10 on every plan, 20 on Professional and Enterprise); it accepts an expression, which must resolve to such a number.",
	},
	maxRateLimitWait: {
		name: 'Max Rate-Limit Wait',
		min: 0,
		minIncluded: true,
		max: 86_400,
		description:
			"Seconds one request may wait for Brevo's rate limit to clear, at most a day; 0 fails at the first 429 or slowdown.",
	},
	timeout: {
		name: 'Timeout',
		min: 1,
		minIncluded: true,
		max: 3_600,
		description:
			"Seconds one request may take, from sending it to the end of Brevo's answer: from 1 to 3,600 (an hour).",
	},
} as const;

/**
 * An option that must be a number within its bounds (numeric text, as an expression may give,
 * counts as its number, as n8n's own number parameters do): anything else stops the run, named.
 */
function boundedOption(
	ctx: IExecuteFunctions,
	options: IDataObject,
	key: keyof typeof OPTION_BOUNDS,
): number {
	const { name, min, minIncluded, max, description } = OPTION_BOUNDS[key];
	const value = options[OPTION[key]];
	const number =
		typeof value === 'string' && /^\s*\d{1,15}(\.\d{1,15})?\s*$/.test(value)
			? Number(value)
			: value;
	if (
		typeof number === 'number' &&
		Number.isFinite(number) &&
		(minIncluded ? number >= min : number > min) &&
		number <= max
	)
		return number;
	const range = minIncluded
		? `from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}`
		: `above ${min} and at most ${max.toLocaleString('en-US')}`;
	throw new NodeOperationError(
		ctx.getNode(),
		`Options › ${name} must be a number ${range}, not ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
		{ description },
	);
}

/**
 * Read from the raw node parameters (a row's type is not an expression), so no expression is
 * evaluated to know it; a type set by an expression might resolve to it too.
 */
function rowsUseAttributeTypes(parameters: IDataObject): boolean {
	return rowsOf(parameters[PROPERTY_PARAMETERS.contact.rows]).some(
		(row) => row.type === 'attribute' || String(row.type ?? '').startsWith('='),
	);
}

/** A contact row with a value and an empty Name, as n8n's editor leaves one it has emptied. */
function rowWithoutName(parameters: IDataObject): boolean {
	const blank = (value: unknown) => value === undefined || value === '';
	return rowsOf(parameters[PROPERTY_PARAMETERS.contact.rows]).some(
		(row) => blank(row.name) && !blank(row.value),
	);
}

const PROPERTY_LABELS: Record<PropertyTarget, string> = {
	contact: 'Contact Properties',
	event: 'Event Properties',
};

/**
 * n8n walks a parameter's value recursively while reading it: a mapped object nested thousands of
 * levels deep overflows its stack before the node sees the value. Said as the nesting limit.
 */
function readDeep(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback: unknown,
	target: PropertyTarget,
): unknown {
	let failure: unknown;
	try {
		return ctx.getNodeParameter(name, itemIndex, fallback);
	} catch (error) {
		failure = error;
	}
	if ((failure as Error).name === 'RangeError') throw tooDeep(PROPERTY_LABELS[target]);
	// Anything else is n8n's own error (an expression that fails, say), passed on as it is.
	throw failure;
}

const readDeepFor =
	(target: PropertyTarget): ParameterFetch =>
	(ctx, name, itemIndex, fallback) =>
		readDeep(ctx, name, itemIndex, fallback, target);

const toSet = (value: unknown): ReadonlySet<string> => new Set(parseFieldList(value));
/** The rows of a "… Properties" list (n8n keeps them under the list's one value, PROPERTY_ROW). */
function rowsOf(table: unknown): PropertyRow[] {
	const rows = (table as IDataObject | undefined)?.[PROPERTY_ROW];
	return Array.isArray(rows) ? (rows as PropertyRow[]) : [];
}

/** The two modes both property inputs offer: typed rows, or one JSON object. */
function readRowsOrJson(
	ctx: IExecuteFunctions,
	settings: CreateSettings,
	itemIndex: number,
	target: PropertyTarget,
	mode: string,
): PropertiesInput | undefined {
	const names = PROPERTY_PARAMETERS[target];
	const deep = readDeepFor(target);
	if (mode === 'json')
		return {
			mode: 'json',
			json: settings.parameters.get(ctx, names.json, itemIndex, '{}', undefined, deep),
		};
	if (mode === 'keypair')
		return {
			mode: 'keypair',
			rows: settings.parameters.get(ctx, names.rows, itemIndex, {}, rowsOf, deep),
		};
	return undefined;
}

function readContactProperties(
	ctx: IExecuteFunctions,
	settings: CreateSettings,
	itemIndex: number,
	json: IDataObject,
): PropertiesInput | undefined {
	const names = PROPERTY_PARAMETERS.contact;
	const read = settings.parameters;
	switch (settings.contactMode) {
		case 'auto':
			return {
				mode: 'auto',
				fields: json,
				except: read.get(ctx, names.except, itemIndex, '', toSet),
			};
		case 'mapper':
			// Read whole, not as "contactAttributes.value": that path makes n8n check the values
			// against the mapper's field types with messages of its own; the builder checks them here.
			return {
				mode: 'keypair',
				rows: read.get(ctx, names.mapper, itemIndex, {}, (mapper) =>
					mappedAttributeRows((mapper as ResourceMapperValue | undefined)?.value),
				),
			};
		default:
			return readRowsOrJson(ctx, settings, itemIndex, 'contact', settings.contactMode);
	}
}

function readEventProperties(
	ctx: IExecuteFunctions,
	settings: CreateSettings,
	itemIndex: number,
	json: IDataObject,
): PropertiesInput | undefined {
	const names = PROPERTY_PARAMETERS.event;
	const read = settings.parameters;
	switch (settings.eventMode) {
		case 'allFields':
			return {
				mode: 'json',
				json: allFieldsExcept(json, read.get(ctx, names.except, itemIndex, '', toSet)),
			};
		case 'namedFields':
			return {
				mode: 'json',
				json: namedFields(json, read.get(ctx, names.fields, itemIndex, '', parseFieldList)),
			};
		default:
			return readRowsOrJson(ctx, settings, itemIndex, 'event', settings.eventMode);
	}
}

/** What one item says about its event, before any conversion (the payload builder does that). */
export function readEventInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	settings: CreateSettings,
): EventInput {
	const read = settings.parameters;
	const json = settings.items[itemIndex]?.json ?? {};
	const additional = settings.hasAdditionalFields
		? read.get<IDataObject>(ctx, ADDITIONAL_FIELDS, itemIndex, {})
		: {};
	const dateField = additional[EVENT_DATE_FIELD];
	return {
		eventName: read.get(ctx, EVENT_NAME, itemIndex, undefined),
		identifiers:
			settings.identifiersMode === 'fields'
				? identifiersFromFields(json, read.get(ctx, IDENTIFIER_PARAMETERS.fields, itemIndex, {}))
				: read.get(ctx, IDENTIFIER_PARAMETERS.values, itemIndex, {}),
		eventDate:
			typeof dateField === 'string' && dateField.trim() !== ''
				? fieldValue(json, dateField.trim())
				: additional[EVENT_DATE],
		contactProperties: readContactProperties(ctx, settings, itemIndex, json),
		eventProperties: readEventProperties(ctx, settings, itemIndex, json),
		object: (additional[EVENT_OBJECT.name] as IDataObject | undefined)?.[
			EVENT_OBJECT.values
		] as EventInput['object'],
	};
}
