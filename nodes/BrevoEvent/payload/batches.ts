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
 * Throws unless the event fits in a batch request on its own; returns its size in bytes as JSON.
 */
export function checkFitsInBatch(event: BrevoEventPayload, maxBytes = BATCH_MAX_BYTES): number {
	const eventBytes = Buffer.byteLength(JSON.stringify(event), 'utf8');
	if (ENVELOPE_BYTES + eventBytes > maxBytes) {
		throw new FieldError(
			'Event',
			`is ${eventBytes} bytes as JSON, more than a batch request may hold (${maxBytes} bytes)`,
			'Send it in single mode, or make its contact properties smaller',
		);
	}
	return eventBytes;
}

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
		const eventBytes = checkFitsInBatch(event, this.maxBytes);
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

/** Brevo's per-event reasons (207, and 400 when every event failed validation), or undefined if malformed. */
function readEventErrors(body: unknown, size: number): Map<number, string> | undefined {
	const errors = (body as IDataObject | null | undefined)?.errors;
	if (!Array.isArray(errors)) return undefined;
	const reasons = new Map<number, string>();
	for (const entry of errors as unknown[]) {
		if (typeof entry !== 'object' || entry === null) return undefined;
		const { eventIndex, message } = entry as { eventIndex?: unknown; message?: unknown };
		const indexes = Array.isArray(eventIndex) ? eventIndex : [eventIndex];
		if (indexes.length === 0) return undefined;
		for (const index of indexes) {
			if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= size)
				return undefined;
			reasons.set(
				index,
				typeof message === 'string' && message !== '' ? message : 'rejected by Brevo',
			);
		}
	}
	return reasons;
}

/**
 * Reads Brevo's answer to POST /events/batch, per event. 202: every event was queued. 207: the
 * events named by `errors[].eventIndex` (0-based positions in `events`) were rejected with that
 * message, the others queued. 400 with the same `errors` shape: every event failed validation,
 * those named with their own reason. Returns undefined when a 207 or 400 cannot be read (errors
 * missing, not an array, entries without valid indexes): then nothing may be reported as queued.
 */
export function batchOutcomes(
	statusCode: number,
	body: unknown,
	size: number,
): BatchOutcome[] | undefined {
	if (statusCode === 202) return Array.from({ length: size }, () => ({ ok: true }));
	const reasons = readEventErrors(body, size);
	if (!reasons) return undefined;
	if (statusCode === 207) {
		return Array.from({ length: size }, (_, k) => {
			const message = reasons.get(k);
			return message === undefined ? { ok: true } : { ok: false, message };
		});
	}
	const overall = (body as IDataObject).message;
	const fallback = `Brevo refused the whole batch${typeof overall === 'string' ? `: ${overall}` : ''}`;
	return Array.from({ length: size }, (_, k) => ({
		ok: false,
		message: reasons.get(k) ?? fallback,
	}));
}

const isCount = (value: unknown): value is number =>
	typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * Why Brevo's answer to a batch of `size` events cannot be believed — its counts disagree with what
 * was sent or with each other — or undefined when they agree (a count Brevo leaves out is not
 * checked). Then no event of the batch can be told queued or rejected: the caller reports each as
 * "stored: unknown" and remembers none as confirmed. Checked: 202's `count` is the number sent;
 * a 207 or 400 names each event at most once and only events that were sent; `total_events` is
 * the number sent; a 207 names at least one event, `failed_events` is the number it names, and
 * `successful_events` the rest; a 400 (every event failed) counts none as successful.
 */
export function batchAnswerMismatch(
	statusCode: number,
	body: unknown,
	size: number,
): string | undefined {
	const answer = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	if (statusCode === 202) {
		const { count } = answer;
		if (count === undefined || count === size) return undefined;
		return `it counts ${JSON.stringify(count)} events queued, for ${size} sent`;
	}
	const named = new Set<number>();
	for (const entry of Array.isArray(answer.errors) ? (answer.errors as unknown[]) : []) {
		const eventIndex = (entry as { eventIndex?: unknown } | null)?.eventIndex;
		for (const index of Array.isArray(eventIndex) ? eventIndex : [eventIndex]) {
			// An index that is not an integer makes the answer unreadable (batchOutcomes) instead.
			if (typeof index !== 'number' || !Number.isInteger(index)) return undefined;
			if (index < 0 || index >= size) return `it names event ${index}, of ${size} sent`;
			if (named.has(index)) return `it names event ${index} twice`;
			named.add(index);
		}
	}
	const { total_events: total, failed_events: failed, successful_events: successful } = answer;
	if (total !== undefined && total !== size)
		return `it counts ${JSON.stringify(total)} events in total, for ${size} sent`;
	if (statusCode === 400) {
		if (successful !== undefined && successful !== 0)
			return `it refuses the whole batch yet counts ${JSON.stringify(successful)} events as successful`;
		return undefined;
	}
	if (named.size === 0 && Array.isArray(answer.errors))
		return `a partial success (HTTP ${statusCode}) that names no rejected event${isCount(failed) ? `, yet counts ${failed} failed` : ''}`;
	if (failed !== undefined && failed !== named.size)
		return `it counts ${JSON.stringify(failed)} failed events but names ${named.size}`;
	if (successful !== undefined && successful !== size - named.size)
		return `it counts ${JSON.stringify(successful)} successful and ${named.size} failed events, for ${size} sent`;
	return undefined;
}
