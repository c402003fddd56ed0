import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { FieldError } from '../../shared/errors';
import { buildEventPayload, type BrevoEventPayload, type EventInput } from '../../shared/payload';
import type { PropertiesInput } from '../../shared/properties';
import { BrevoTransport, type BrevoResponse, type TransportOptions } from '../../shared/transport';

type PropertiesMode = 'none' | 'keypair' | 'json';

interface Modes {
	contact: PropertiesMode;
	event: PropertiesMode;
}

function readProperties(
	ctx: IExecuteFunctions,
	prefix: 'contact' | 'event',
	mode: PropertiesMode,
	itemIndex: number,
): PropertiesInput | undefined {
	if (mode === 'json') return { mode, json: ctx.getNodeParameter(`${prefix}PropertiesJson`, itemIndex, '{}') };
	if (mode === 'keypair') {
		const table = ctx.getNodeParameter(`${prefix}Properties`, itemIndex, {}) as { property?: [] };
		return { mode, rows: table.property ?? [] };
	}
	return undefined;
}

/** Reads what one item needs, each parameter once and each collection whole (n8n 2.x pays per read). */
function readEventInput(ctx: IExecuteFunctions, itemIndex: number, modes: Modes): EventInput {
	const additional = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	return {
		eventName: ctx.getNodeParameter('eventName', itemIndex),
		identifiers: ctx.getNodeParameter('identifiers', itemIndex, {}) as EventInput['identifiers'],
		eventDate: additional.eventDate,
		contactProperties: readProperties(ctx, 'contact', modes.contact, itemIndex),
		eventProperties: readProperties(ctx, 'event', modes.event, itemIndex),
		object: (additional.object as IDataObject | undefined)?.objectValues as EventInput['object'],
	};
}

function readTransportOptions(ctx: IExecuteFunctions): Partial<TransportOptions> {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const result: Partial<TransportOptions> = {};
	if (typeof options.requestsPerSecond === 'number') result.requestsPerSecond = options.requestsPerSecond;
	if (typeof options.retryServerErrors === 'boolean') result.retryServerErrors = options.retryServerErrors;
	if (typeof options.maxRateLimitWait === 'number') result.maxRateLimitWaitMs = options.maxRateLimitWait * 1000;
	return result;
}

/** A FieldError from the payload builder, as n8n shows errors: naming the item and the field. */
export function fieldErrorToNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (!(error instanceof FieldError)) return error as Error;
	return new NodeOperationError(ctx.getNode(), `Invalid ${error.field} in item ${itemIndex}: ${error.message}`, {
		itemIndex,
		description: error.hint,
	});
}

export function errorItem(error: Error, itemIndex: number, event?: BrevoEventPayload): INodeExecutionData {
	const details = error as Error & { httpCode?: string | null; description?: string | null };
	const json: IDataObject = { error: error.message, itemIndex };
	if (details.description) json.description = details.description;
	if (details.httpCode) json.httpCode = details.httpCode;
	if (event) json.event = event as unknown as IDataObject;
	return { json, pairedItem: { item: itemIndex } };
}

function successItem(event: BrevoEventPayload, response: BrevoResponse, itemIndex: number): INodeExecutionData {
	return {
		json: { success: true, status: 'stored', statusCode: response.statusCode, event: event as unknown as IDataObject },
		pairedItem: { item: itemIndex },
	};
}

/**
 * Create: one POST /events per item. Payloads are built item by item while earlier events are
 * still in flight; the transport paces them. Every input item yields exactly one output item.
 */
export async function createEvents(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const zone = this.getTimezone();
	const modes: Modes = {
		contact: this.getNodeParameter('specifyContactProperties', 0, 'none') as PropertiesMode,
		event: this.getNodeParameter('specifyEventProperties', 0, 'none') as PropertiesMode,
	};
	const transport = await BrevoTransport.create(this, readTransportOptions(this));

	const results: INodeExecutionData[] = new Array(items.length);
	const pending = new Set<Promise<void>>();
	let failure: Error | undefined;

	for (let itemIndex = 0; itemIndex < items.length && !failure; itemIndex++) {
		let event: BrevoEventPayload;
		try {
			event = buildEventPayload(readEventInput(this, itemIndex, modes), zone);
		} catch (error) {
			const nodeError = fieldErrorToNodeError(this, error, itemIndex);
			if (!continueOnFail) {
				failure = nodeError;
				break;
			}
			results[itemIndex] = errorItem(nodeError, itemIndex);
			continue;
		}
		const sent: Promise<void> = transport
			.request({ method: 'POST', path: '/events', body: event, itemIndex })
			.then(
				(response) => {
					results[itemIndex] = successItem(event, response, itemIndex);
				},
				(error: Error) => {
					if (continueOnFail) results[itemIndex] = errorItem(error, itemIndex, event);
					else failure ??= error;
				},
			)
			.finally(() => pending.delete(sent));
		pending.add(sent);
		// Keep reading parameters while requests run, but never far ahead of what the transport sends.
		if (pending.size >= transport.maxInFlight) await Promise.race(pending);
	}
	await Promise.all(pending);
	if (failure) throw failure;
	return results;
}
