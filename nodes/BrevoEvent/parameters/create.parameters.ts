import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import type { EventInput } from '../payload/event';
import { tooDeep } from '../payload/json';
import type { PropertiesInput, PropertyRow, PropertyTarget } from '../payload/properties';
import type { TransportOptions } from '../transport/BrevoTransport';
import { PROPERTY_PARAMETERS, type PropertiesMode } from './names';

/**
 * Reading Create's parameters. n8n 2.x pays for every getNodeParameter call (and far more for each
 * expression in it), so item-independent facts are read once per execution, and each item's
 * parameters once, collections whole.
 */

export type SendMode = 'single' | 'batch';

/** What Create reads once per execution. */
export interface CreateSettings {
	contactMode: PropertiesMode;
	eventMode: PropertiesMode;
	/** Whether any additional field is set at all: if not, reading it per item is wasted work. */
	hasAdditionalFields: boolean;
	/** Whether a contact property row takes its type from the Brevo attribute. */
	usesAttributeTypes: boolean;
	sendMode: SendMode;
	transport: Partial<TransportOptions>;
}

export function readCreateSettings(ctx: IExecuteFunctions): CreateSettings {
	const node = ctx.getNode();
	const contactMode = ctx.getNodeParameter(
		PROPERTY_PARAMETERS.contact.mode,
		0,
		'none',
	) as PropertiesMode;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const transport: Partial<TransportOptions> = {};
	// Both accept expressions: whatever they resolve to is checked, never silently replaced.
	if (options.requestsPerSecond !== undefined)
		transport.requestsPerSecond = positiveNumber(
			ctx,
			options.requestsPerSecond,
			'Requests per Second',
			false,
		);
	if (typeof options.retryServerErrors === 'boolean')
		transport.retryServerErrors = options.retryServerErrors;
	if (options.maxRateLimitWait !== undefined)
		transport.maxRateLimitWaitMs =
			positiveNumber(ctx, options.maxRateLimitWait, 'Max Rate-Limit Wait', true) * 1000;
	if (typeof options.timeout === 'number' && options.timeout > 0)
		transport.timeoutMs = options.timeout * 1000;
	return {
		contactMode,
		eventMode: ctx.getNodeParameter(PROPERTY_PARAMETERS.event.mode, 0, 'none') as PropertiesMode,
		hasAdditionalFields:
			Object.keys((node.parameters.additionalFields as IDataObject | undefined) ?? {}).length > 0,
		usesAttributeTypes: contactMode === 'keypair' && rowsUseAttributeTypes(node.parameters),
		sendMode: options.sendMode === 'batch' ? 'batch' : 'single',
		transport,
	};
}

/** An option that must be a number above 0 (or at least 0): anything else stops the run, named. */
function positiveNumber(
	ctx: IExecuteFunctions,
	value: unknown,
	option: string,
	zeroAllowed: boolean,
): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (
		typeof number === 'number' &&
		Number.isFinite(number) &&
		(zeroAllowed ? number >= 0 : number > 0)
	)
		return number;
	throw new NodeOperationError(
		ctx.getNode(),
		`Options › ${option} must be a number ${zeroAllowed ? 'of at least 0' : 'above 0'}, not ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
		{
			description:
				option === 'Requests per Second'
					? "Set it to your Brevo plan's limit (10 on every plan, 20 on Professional and Enterprise); it accepts an expression, which must resolve to such a number."
					: "Seconds one request may wait for Brevo's rate limit to clear; 0 fails at the first 429.",
		},
	);
}

/**
 * Read from the raw node parameters (a row's type is not an expression), so no expression is
 * evaluated to know it; a type set by an expression might resolve to it too.
 */
function rowsUseAttributeTypes(parameters: IDataObject): boolean {
	const table = parameters[PROPERTY_PARAMETERS.contact.rows] as
		| { property?: PropertyRow[] }
		| undefined;
	return (table?.property ?? []).some(
		(row) => row.type === 'attribute' || String(row.type ?? '').startsWith('='),
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

function readProperties(
	ctx: IExecuteFunctions,
	target: PropertyTarget,
	mode: PropertiesMode,
	itemIndex: number,
): PropertiesInput | undefined {
	const names = PROPERTY_PARAMETERS[target];
	if (mode === 'json') return { mode, json: readDeep(ctx, names.json, itemIndex, '{}', target) };
	if (mode === 'keypair') {
		const table = readDeep(ctx, names.rows, itemIndex, {}, target) as {
			property?: PropertyRow[];
		};
		return { mode, rows: table.property ?? [] };
	}
	return undefined;
}

/** What one item says about its event, before any conversion (the payload builder does that). */
export function readEventInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	settings: CreateSettings,
): EventInput {
	const additional = settings.hasAdditionalFields
		? (ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject)
		: {};
	return {
		eventName: ctx.getNodeParameter('eventName', itemIndex),
		identifiers: ctx.getNodeParameter('identifiers', itemIndex, {}) as EventInput['identifiers'],
		eventDate: additional.eventDate,
		contactProperties: readProperties(ctx, 'contact', settings.contactMode, itemIndex),
		eventProperties: readProperties(ctx, 'event', settings.eventMode, itemIndex),
		object: (additional.object as IDataObject | undefined)?.objectValues as EventInput['object'],
	};
}
