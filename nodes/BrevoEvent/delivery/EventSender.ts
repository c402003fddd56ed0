import {
	sleep,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';

import { factsOf, restated } from '../output/errors';
import {
	confirmedEarlierItem,
	errorItem,
	inconsistentBatchAnswer,
	itemList,
	rejectedInBatch,
	successItem,
	unreadableBatchAnswer,
	wholeBatchFailed,
	type OutputMode,
} from '../output/items';
import { BatchBuilder, batchAnswerMismatch, batchOutcomes, type Batch } from '../payload/batches';
import type { BrevoEventPayload } from '../payload/event';
import { apiError } from '../transport/answers';
import type { BrevoTransport } from '../transport/BrevoTransport';
import type { Confirmation, DeliveryMemory } from './deliveryMemory';
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
 * further sending (requests not yet sent are cancelled) and `finish` throws it, naming the items
 * Brevo took. With a DeliveryMemory (n8n's Retry On Fail), the caller reports an item Brevo
 * confirmed in an earlier try with `confirmedEarlier`, and it is not sent again. Either way `finish`
 * reports the tally (stored, queued, refused and why) as an execution hint and in n8n's log.
 */
export class EventSender {
	private readonly results: INodeExecutionData[];

	private readonly pending = new Set<Promise<void>>();

	private readonly batches = new BatchBuilder();

	private failure: Error | undefined;

	/** The items Brevo confirmed, in this try or an earlier one. */
	private readonly confirmed: number[] = [];

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

	/**
	 * Reports an item Brevo confirmed in an earlier try of this node run (see DeliveryMemory), not
	 * sent again. `event` is this try's rebuild of it, if it could be built: shown only when it is
	 * the event Brevo confirmed (a value such as {{ $now }} differs on each try).
	 */
	confirmedEarlier(itemIndex: number, earlier: Confirmation, event?: BrevoEventPayload): void {
		this.outcomes.succeeded(earlier.status);
		this.confirmed.push(itemIndex);
		const shown = event && this.memory?.confirmedEvent(itemIndex, event) ? event : undefined;
		this.results[itemIndex] = confirmedEarlierItem(earlier, itemIndex, this.output, shown);
	}

	/** Queues one item's event; throws a FieldError if it cannot fit in any batch. */
	async add(event: BrevoEventPayload, itemIndex: number): Promise<void> {
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
		if (this.continueOnFail) {
			this.outcomes.failed(itemIndex, error);
			this.results[itemIndex] = errorItem(error, itemIndex, event, this.output);
			return;
		}
		// Stop Workflow: requests not sent yet stay unsent (counted as such in the tally).
		if (factsOf(error).notSent) return;
		this.outcomes.failed(itemIndex, error);
		if (this.failure) return;
		this.failure = error;
		this.transport.stop();
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
			// Hints are dropped with a failed node: the error says what was sent before it stopped,
			// and which items, so that a run of the fixed data leaves them out.
			if (this.outcomes.accepted === 0) throw this.failure;
			const status = this.sendMode === 'batch' ? 'queued' : 'stored';
			const confirmed = itemList(this.confirmed.sort((a, b) => a - b));
			const them = this.confirmed.length === 1 ? 'it' : 'them';
			throw restated(
				this.ctx.getNode(),
				this.failure,
				`Before the node stopped: ${this.outcomes.text()} Brevo ${status} ${confirmed}: do not send ${them} again.`,
			);
		}
		return this.results;
	}

	private succeed(itemIndex: number, event: BrevoEventPayload, statusCode: number): void {
		const status = this.sendMode === 'batch' ? 'queued' : 'stored';
		this.memory?.remember(itemIndex, event, { status, statusCode });
		this.outcomes.succeeded(status);
		this.confirmed.push(itemIndex);
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
						const mismatch = batchAnswerMismatch(response.statusCode, response.body, events.length);
						if (mismatch)
							return failAll((i) =>
								inconsistentBatchAnswer(node, response, itemIndexes, i, mismatch),
							);
						const outcomes = batchOutcomes(response.statusCode, response.body, events.length);
						if (!outcomes) {
							return response.statusCode === 400
								? failAll((i) => wholeBatchFailed(node, apiError(node, response), itemIndexes, i))
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
					(error: NodeApiError) => failAll((i) => wholeBatchFailed(node, error, itemIndexes, i)),
				),
		);
	}
}
