import {
	sleep,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';

import { restated } from '../output/errors';
import {
	errorItem,
	rejectedInBatch,
	successItem,
	unreadableBatchAnswer,
	wholeBatchRejected,
	type OutputMode,
} from '../output/items';
import { BatchBuilder, batchOutcomes, type Batch } from '../payload/batches';
import type { BrevoEventPayload } from '../payload/event';
import { apiError } from '../transport/answers';
import type { BrevoTransport } from '../transport/BrevoTransport';
import type { DeliveryMemory } from './deliveryMemory';
import { Outcomes } from './outcomes';

/** Single: one POST /events per event (stored). Batch: POST /events/batch (queued). */
export type SendMode = 'single' | 'batch';

/**
 * Sends Create's events while later items are still being read, and keeps one output item per
 * input item. Single mode: one POST /events per event (204 = stored). Batch mode: POST
 * /events/batch with up to 200 events / 512 KB (202 = queued; 207 = some events rejected, mapped
 * back to their items).
 *
 * Use: `add` each event (or `fail` an item that could not be built), then `finish`. Under
 * Continue On Fail every failure becomes that item's error item; otherwise the first failure stops
 * further sending and `finish` throws it. With a DeliveryMemory (n8n's Retry On Fail), an event
 * Brevo confirmed in an earlier try is reported as then, not sent again. Either way `finish`
 * reports the tally (stored, queued, refused and why) as an execution hint and in n8n's log.
 */
export class EventSender {
	private readonly results: INodeExecutionData[];

	private readonly pending = new Set<Promise<void>>();

	private readonly batches = new BatchBuilder();

	private failure: Error | undefined;

	private readonly outcomes: Outcomes;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly transport: BrevoTransport,
		private readonly sendMode: SendMode,
		private readonly continueOnFail: boolean,
		itemCount: number,
		private readonly memory?: DeliveryMemory,
		/** What output items hold besides the outcome: the event sent, or only its identifiers. */
		private readonly output: OutputMode = 'event',
	) {
		this.results = new Array(itemCount);
		this.outcomes = new Outcomes(itemCount);
	}

	/** Whether the run is stopping on a failure: the caller should read no more items. */
	get stopped(): boolean {
		return this.failure !== undefined;
	}

	/** Queues one item's event; throws a FieldError if it cannot fit in any batch. */
	async add(event: BrevoEventPayload, itemIndex: number): Promise<void> {
		const earlier = this.memory?.recall(itemIndex, event);
		if (earlier) {
			this.outcomes.succeeded(earlier.status);
			this.results[itemIndex] = successItem(
				event,
				earlier.status,
				earlier.statusCode,
				itemIndex,
				this.output,
			);
			return;
		}
		if (this.sendMode === 'single') {
			this.sendOne(event, itemIndex);
		} else {
			const closed = this.batches.add(event, itemIndex);
			if (closed) {
				this.sendBatch(closed);
				// Let the request go out now, while the next items' parameters are read.
				await sleep(0);
			}
		}
		// Never run far ahead of what the transport can send.
		if (this.pending.size >= this.transport.maxInFlight) await Promise.race(this.pending);
	}

	/** Records an item that failed before it could be sent (or while being sent). */
	fail(itemIndex: number, error: Error, event?: BrevoEventPayload): void {
		this.outcomes.failed(itemIndex, error);
		if (this.continueOnFail)
			this.results[itemIndex] = errorItem(error, itemIndex, event, this.output);
		else this.failure ??= error;
	}

	/** Sends what is left, waits for every answer; returns one output item per input item. */
	async finish(): Promise<INodeExecutionData[]> {
		const last = this.failure ? undefined : this.batches.flush();
		if (last) this.sendBatch(last);
		await Promise.all(this.pending);
		// n8n retries a node that threw, or whose first output item is an error item.
		this.memory?.end(this.failure !== undefined || this.results[0]?.json.error !== undefined);
		this.outcomes.report(this.ctx);
		if (this.failure) {
			// Hints are dropped with a failed node: the error says what was sent before it stopped.
			if (this.outcomes.accepted === 0) throw this.failure;
			throw restated(
				this.ctx.getNode(),
				this.failure,
				`Before the node stopped: ${this.outcomes.text()}`,
			);
		}
		return this.results;
	}

	private succeed(itemIndex: number, event: BrevoEventPayload, statusCode: number): void {
		const status = this.sendMode === 'batch' ? 'queued' : 'stored';
		this.memory?.remember(itemIndex, event, { status, statusCode });
		this.outcomes.succeeded(status);
		this.results[itemIndex] = successItem(event, status, statusCode, itemIndex, this.output);
	}

	private track(request: Promise<void>): void {
		const tracked: Promise<void> = request.finally(() => this.pending.delete(tracked));
		this.pending.add(tracked);
	}

	private sendOne(event: BrevoEventPayload, itemIndex: number): void {
		this.track(
			this.transport
				.request({ method: 'POST', path: '/events', body: event, expect: [204], itemIndex })
				.then(
					(response) => this.succeed(itemIndex, event, response.statusCode),
					(error: Error) => this.fail(itemIndex, error, event),
				),
		);
	}

	private sendBatch({ events, itemIndexes }: Batch): void {
		const node = this.ctx.getNode();
		const failAll = (error: (itemIndex: number) => Error) =>
			itemIndexes.forEach((itemIndex, k) => this.fail(itemIndex, error(itemIndex), events[k]));
		this.track(
			this.transport
				.request({
					method: 'POST',
					path: '/events/batch',
					body: { events },
					// A 400 lists the events that failed validation, like a 207.
					expect: [202, 207, 400],
					// No item of its own: the errors of a batch are built per item below.
				})
				.then(
					(response) => {
						const outcomes = batchOutcomes(response.statusCode, response.body, events.length);
						if (!outcomes) {
							return response.statusCode === 400
								? failAll((i) => wholeBatchRejected(node, apiError(node, response), itemIndexes, i))
								: failAll((i) => unreadableBatchAnswer(node, response, itemIndexes, i));
						}
						outcomes.forEach((outcome, k) => {
							if (outcome.ok) this.succeed(itemIndexes[k], events[k], response.statusCode);
							else
								this.fail(
									itemIndexes[k],
									rejectedInBatch(node, outcome.message, response.statusCode, itemIndexes[k]),
									events[k],
								);
						});
					},
					(error: NodeApiError) => failAll((i) => wholeBatchRejected(node, error, itemIndexes, i)),
				),
		);
	}
}
