import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { fetchContactAttributes } from '../../shared/attributes';
import { BatchBuilder, batchOutcomes, type Batch } from '../../shared/batches';
import { errorItem, fieldErrorToNodeError } from '../../shared/items';
import { buildEventPayload, type BrevoEventPayload, type EventInput } from '../../shared/payload';
import type { PropertiesInput, PropertyRow } from '../../shared/properties';
import { BrevoTransport, type TransportOptions } from '../../shared/transport';

type PropertiesMode = 'none' | 'keypair' | 'json';

/** Item-independent facts about the parameters, read once per execution. */
interface Modes {
	contact: PropertiesMode;
	event: PropertiesMode;
	/** Whether any additional field is set at all: if not, reading it per item is wasted work. */
	additionalFields: boolean;
}

function readProperties(
	ctx: IExecuteFunctions,
	prefix: 'contact' | 'event',
	mode: PropertiesMode,
	itemIndex: number,
): PropertiesInput | undefined {
	if (mode === 'json')
		return { mode, json: ctx.getNodeParameter(`${prefix}PropertiesJson`, itemIndex, '{}') };
	if (mode === 'keypair') {
		const table = ctx.getNodeParameter(`${prefix}Properties`, itemIndex, {}) as { property?: [] };
		return { mode, rows: table.property ?? [] };
	}
	return undefined;
}

/** Reads what one item needs, each parameter once and each collection whole (n8n 2.x pays per read). */
function readEventInput(ctx: IExecuteFunctions, itemIndex: number, modes: Modes): EventInput {
	const additional = modes.additionalFields
		? (ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject)
		: {};
	return {
		eventName: ctx.getNodeParameter('eventName', itemIndex),
		identifiers: ctx.getNodeParameter('identifiers', itemIndex, {}) as EventInput['identifiers'],
		eventDate: additional.eventDate,
		contactProperties: readProperties(ctx, 'contact', modes.contact, itemIndex),
		eventProperties: readProperties(ctx, 'event', modes.event, itemIndex),
		object: (additional.object as IDataObject | undefined)?.objectValues as EventInput['object'],
	};
}

/**
 * Whether a contact property row takes its type from the Brevo attribute. Read from the raw node
 * parameters (a row's type is not an expression), so no expression is evaluated for it.
 */
function usesAttributeTypes(ctx: IExecuteFunctions, modes: Modes): boolean {
	if (modes.contact !== 'keypair') return false;
	const rows =
		(ctx.getNode().parameters.contactProperties as { property?: PropertyRow[] } | undefined)
			?.property ?? [];
	// A type set by an expression might resolve to it too.
	return rows.some((row) => row.type === 'attribute' || String(row.type ?? '').startsWith('='));
}

type SendMode = 'single' | 'batch';

function readSendOptions(ctx: IExecuteFunctions): {
	sendMode: SendMode;
	transport: Partial<TransportOptions>;
} {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const transport: Partial<TransportOptions> = {};
	if (typeof options.requestsPerSecond === 'number')
		transport.requestsPerSecond = options.requestsPerSecond;
	if (typeof options.retryServerErrors === 'boolean')
		transport.retryServerErrors = options.retryServerErrors;
	if (typeof options.maxRateLimitWait === 'number')
		transport.maxRateLimitWaitMs = options.maxRateLimitWait * 1000;
	return { sendMode: options.sendMode === 'batch' ? 'batch' : 'single', transport };
}

function successItem(
	event: BrevoEventPayload,
	status: 'stored' | 'queued',
	statusCode: number,
	itemIndex: number,
): INodeExecutionData {
	return {
		json: { success: true, status, statusCode, event: event as unknown as IDataObject },
		pairedItem: { item: itemIndex },
	};
}

/**
 * Create. Payloads are built item by item while earlier requests are in flight; the transport
 * paces them. Single mode: one POST /events per item (204 = stored). Batch mode: POST /events/batch
 * with up to 200 events / 512 KB (202 = queued; 207 = some events rejected, mapped back to their
 * items). Every input item yields exactly one output item, success or error, paired with it.
 */
export async function createEvents(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const zone = this.getTimezone();
	const node = this.getNode();
	const modes: Modes = {
		contact: this.getNodeParameter('specifyContactProperties', 0, 'none') as PropertiesMode,
		event: this.getNodeParameter('specifyEventProperties', 0, 'none') as PropertiesMode,
		additionalFields:
			Object.keys((node.parameters.additionalFields as IDataObject | undefined) ?? {}).length > 0,
	};
	const { sendMode, transport: transportOptions } = readSendOptions(this);
	const transport = await BrevoTransport.create(this, transportOptions);
	const attributes = usesAttributeTypes(this, modes)
		? await fetchContactAttributes(transport)
		: undefined;

	const results: INodeExecutionData[] = new Array(items.length);
	const pending = new Set<Promise<void>>();
	let failure: Error | undefined;

	const succeed = (itemIndex: number, event: BrevoEventPayload, statusCode: number) => {
		results[itemIndex] = successItem(
			event,
			sendMode === 'batch' ? 'queued' : 'stored',
			statusCode,
			itemIndex,
		);
	};
	const fail = (itemIndex: number, error: Error, event?: BrevoEventPayload) => {
		if (continueOnFail) results[itemIndex] = errorItem(error, itemIndex, event);
		else failure ??= error;
	};
	const track = (request: Promise<void>) => {
		const tracked: Promise<void> = request.finally(() => pending.delete(tracked));
		pending.add(tracked);
	};

	const sendOne = (event: BrevoEventPayload, itemIndex: number) =>
		track(
			transport.request({ method: 'POST', path: '/events', body: event, itemIndex }).then(
				(response) => succeed(itemIndex, event, response.statusCode),
				(error: Error) => fail(itemIndex, error, event),
			),
		);

	const sendBatch = ({ events, itemIndexes }: Batch) =>
		track(
			transport
				.request({
					method: 'POST',
					path: '/events/batch',
					body: { events },
					itemIndex: itemIndexes[0],
				})
				.then(
					(response) =>
						batchOutcomes(response.statusCode, response.body, events.length).forEach(
							(outcome, k) => {
								if (outcome.ok) succeed(itemIndexes[k], events[k], response.statusCode);
								else
									fail(
										itemIndexes[k],
										rejectedInBatch(node, outcome.message, itemIndexes[k]),
										events[k],
									);
							},
						),
					(error: NodeApiError) =>
						itemIndexes.forEach((itemIndex, k) =>
							fail(itemIndex, wholeBatchRejected(node, error, itemIndexes, itemIndex), events[k]),
						),
				),
		);

	const batches = new BatchBuilder();
	for (let itemIndex = 0; itemIndex < items.length && !failure; itemIndex++) {
		let event: BrevoEventPayload;
		let closed: Batch | undefined;
		try {
			event = buildEventPayload(readEventInput(this, itemIndex, modes), zone, attributes);
			if (sendMode === 'batch') closed = batches.add(event, itemIndex);
		} catch (error) {
			fail(itemIndex, fieldErrorToNodeError(this, error, itemIndex));
			continue;
		}
		if (sendMode === 'single') sendOne(event, itemIndex);
		else if (closed) {
			sendBatch(closed);
			// Let the request go out now, while the next items' parameters are read.
			await sleep(0);
		}
		// Never run far ahead of what the transport can send.
		if (pending.size >= transport.maxInFlight) await Promise.race(pending);
	}
	const last = failure ? undefined : batches.flush();
	if (last) sendBatch(last);
	await Promise.all(pending);
	if (failure) throw failure;
	return results;
}

/** One event of a batch that Brevo rejected (HTTP 207) while accepting the others. */
function rejectedInBatch(node: INode, message: string, itemIndex: number): NodeApiError {
	return new NodeApiError(node, { status: 207, brevo: message } as JsonObject, {
		message: `Brevo rejected the event of item ${itemIndex}: ${message}`,
		description:
			'Brevo accepted the other events of its batch (HTTP 207); this one was not stored.',
		httpCode: '207',
		itemIndex,
	});
}

/** A batch request that failed as a whole: every item in it gets the reason. */
function wholeBatchRejected(
	node: INode,
	error: NodeApiError,
	itemIndexes: number[],
	itemIndex: number,
): NodeApiError {
	const range = `items ${itemIndexes[0]}–${itemIndexes[itemIndexes.length - 1]}`;
	return new NodeApiError(node, { status: error.httpCode ?? null } as JsonObject, {
		message: `Brevo rejected the whole batch of ${itemIndexes.length} events (${range}): ${error.message}`,
		description: error.description ?? undefined,
		httpCode: error.httpCode ?? undefined,
		itemIndex,
	});
}
