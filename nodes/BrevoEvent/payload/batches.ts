import type { IDataObject } from 'n8n-workflow';

import { FieldError } from './FieldError';
import { BATCH_MAX_BYTES, BATCH_MAX_EVENTS } from './limits';
import type { BrevoEventPayload } from './event';

/** Events of one POST /events/batch request, with the input items they came from. */
export interface Batch {
	events: BrevoEventPayload[];
	itemIndexes: number[];
	/** Size of the request body `{"events":[…]}` in bytes. */
	bytes: number;
}

/** `{"events":[` + `]}` */
const ENVELOPE_BYTES = Buffer.byteLength('{"events":[]}');

/**
 * Groups events into batches Brevo accepts: at most 200 events and 512 KB of body each. `add`
 * returns a batch as soon as the next event would not fit, so it can be sent while later items are
 * still being read.
 */
export class BatchBuilder {
	private current: Batch = BatchBuilder.empty();

	constructor(
		private readonly maxEvents = BATCH_MAX_EVENTS,
		private readonly maxBytes = BATCH_MAX_BYTES,
	) {}

	private static empty(): Batch {
		return { events: [], itemIndexes: [], bytes: ENVELOPE_BYTES };
	}

	/** Adds one event; returns the batch it closed, if any. Throws if the event alone is too big. */
	add(event: BrevoEventPayload, itemIndex: number): Batch | undefined {
		const eventBytes = Buffer.byteLength(JSON.stringify(event), 'utf8');
		if (ENVELOPE_BYTES + eventBytes > this.maxBytes) {
			throw new FieldError(
				'Event',
				`is ${eventBytes} bytes as JSON, more than a batch request may hold (${this.maxBytes} bytes)`,
				'Send it in single mode, or make its contact properties smaller',
			);
		}
		const separator = this.current.events.length > 0 ? 1 : 0;
		let closed: Batch | undefined;
		if (
			this.current.events.length >= this.maxEvents ||
			this.current.bytes + separator + eventBytes > this.maxBytes
		) {
			closed = this.flush();
		}
		const comma = this.current.events.length > 0 ? 1 : 0;
		this.current.events.push(event);
		this.current.itemIndexes.push(itemIndex);
		this.current.bytes += comma + eventBytes;
		return closed;
	}

	/** Returns the open batch (if it has events) and starts a new one. */
	flush(): Batch | undefined {
		const batch = this.current;
		this.current = BatchBuilder.empty();
		return batch.events.length > 0 ? batch : undefined;
	}
}

/** What Brevo said about each event of a batch, by position in the batch. */
export type BatchOutcome = { ok: true } | { ok: false; message: string };

/**
 * Reads a 2xx answer of POST /events/batch. 202: every event was queued. 207: the events named by
 * `errors[].eventIndex` (0-based positions in `events`) were rejected with that message, the others
 * queued.
 */
export function batchOutcomes(statusCode: number, body: unknown, size: number): BatchOutcome[] {
	const outcomes: BatchOutcome[] = Array.from({ length: size }, () => ({ ok: true }));
	if (statusCode !== 207) return outcomes;
	const errors = ((body as IDataObject | undefined)?.errors ?? []) as Array<{
		eventIndex?: unknown;
		message?: unknown;
	}>;
	for (const error of errors) {
		const indexes = Array.isArray(error.eventIndex) ? error.eventIndex : [error.eventIndex];
		const message = typeof error.message === 'string' ? error.message : 'rejected by Brevo';
		for (const index of indexes) {
			if (typeof index === 'number' && index >= 0 && index < size)
				outcomes[index] = { ok: false, message };
		}
	}
	return outcomes;
}
