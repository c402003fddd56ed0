import type { IDataObject } from 'n8n-workflow';

import { eventIdentity, IDENTITY_LENGTH } from './identity';
import type { PollWindow } from './window';

/**
 * What the trigger keeps in the workflow's static data between polls: the identities of the events
 * it emitted that a later poll may read again (those dated within the look-back window), with their
 * multiplicity. Compact on purpose: n8n saves static data with the workflow after each poll.
 */
export interface TriggerState {
	/** Format of this object. */
	v: 1;
	/** Epoch second from which `seen` is complete: no poll reads events dated earlier. */
	from: number;
	/**
	 * Per event_date second (epoch seconds in base 36), the identities of the events emitted with
	 * that date, concatenated; an identity appears once per emitted copy (identical events recorded
	 * separately are emitted, and remembered, once each).
	 */
	seen: Record<string, string>;
}

/** The trigger's state in the node's static data, or undefined before the first poll. */
export function readState(data: IDataObject): TriggerState | undefined {
	const { v, from, seen } = data;
	if (v !== 1 || typeof from !== 'number' || typeof seen !== 'object' || seen === null) {
		return undefined;
	}
	return { v, from, seen: seen as Record<string, string> };
}

/** Replaces the state in the node's static data (the object n8n saves). */
export function writeState(data: IDataObject, state: TriggerState): void {
	data.v = state.v;
	data.from = state.from;
	data.seen = state.seen;
}

/** JSON bytes of the state without its buckets: {"v":1,"from":…,"seen":{}}. */
const STATE_OVERHEAD_BYTES = 40;

/** JSON bytes of one bucket in `seen`: "key":"ids", */
function bucketBytes(second: number, bucket: Map<string, number>): number {
	let copies = 0;
	for (const n of bucket.values()) copies += n;
	return second.toString(36).length + 6 + copies * IDENTITY_LENGTH;
}

/** Emitted copies per identity, per event_date second. */
type Counts = Map<number, Map<string, number>>;

function countsOf(seen: Record<string, string>): Counts {
	const counts: Counts = new Map();
	for (const [key, ids] of Object.entries(seen)) {
		const second = parseInt(key, 36);
		if (!Number.isFinite(second) || typeof ids !== 'string') continue;
		const bucket = counts.get(second) ?? new Map<string, number>();
		for (let i = 0; i + IDENTITY_LENGTH <= ids.length; i += IDENTITY_LENGTH) {
			const id = ids.slice(i, i + IDENTITY_LENGTH);
			bucket.set(id, (bucket.get(id) ?? 0) + 1);
		}
		counts.set(second, bucket);
	}
	return counts;
}

function serialize(counts: Counts): Record<string, string> {
	const seen: Record<string, string> = {};
	for (const second of [...counts.keys()].sort((a, b) => a - b)) {
		let ids = '';
		for (const [id, n] of counts.get(second)!) ids += id.repeat(n);
		if (ids) seen[second.toString(36)] = ids;
	}
	return seen;
}

/** The event_date of an event in epoch milliseconds, NaN when Brevo sent none or no date. */
function eventTime(event: IDataObject): number {
	return typeof event.event_date === 'string' ? Date.parse(event.event_date) : NaN;
}

export interface Reconciled {
	/** The events to emit, oldest event_date first. */
	emit: IDataObject[];
	/** The state to keep for the next poll. */
	state: TriggerState;
}

/**
 * Compares what a poll read (Brevo's order: newest first) with what was emitted before. Each
 * identity read r times and emitted m times before is emitted r − m more times (never fewer than 0),
 * then remembered max(r, m) times. Identities dated before the window's `keepFrom` are forgotten;
 * if the rest would take more than `maxBytes` of JSON, the oldest seconds are forgotten too and
 * `from` moves past them, so that the static data stays bounded whatever the event rate (README:
 * the look-back then shortens).
 */
export function reconcile(
	previous: TriggerState | undefined,
	window: PollWindow,
	events: IDataObject[],
	maxBytes: number,
): Reconciled {
	const counts = countsOf(previous?.seen ?? {});
	const readCounts: Counts = new Map();
	const emit: Array<{ event: IDataObject; at: number; order: number }> = [];
	// Oldest first: Brevo lists newest first, so among equal dates the one it lists last is older.
	for (let i = events.length - 1; i >= 0; i--) {
		const event = events[i];
		const at = eventTime(event);
		const second = Number.isFinite(at) ? Math.floor(at / 1000) : window.end;
		// Dated before what is remembered: emitted by an earlier poll, or older than the trigger.
		if (previous && second < previous.from) continue;
		const id = eventIdentity(event);
		const read = readCounts.get(second) ?? new Map<string, number>();
		readCounts.set(second, read);
		const copy = (read.get(id) ?? 0) + 1;
		read.set(id, copy);
		const emitted = counts.get(second)?.get(id) ?? 0;
		if (copy > emitted) {
			emit.push({ event, at: Number.isFinite(at) ? at : Infinity, order: emit.length });
			const bucket = counts.get(second) ?? new Map<string, number>();
			counts.set(second, bucket);
			bucket.set(id, copy);
		}
	}

	let from = window.keepFrom;
	for (const second of counts.keys()) if (second < from) counts.delete(second);
	let bytes = STATE_OVERHEAD_BYTES;
	for (const [second, bucket] of counts) bytes += bucketBytes(second, bucket);
	if (bytes > maxBytes) {
		for (const second of [...counts.keys()].sort((a, b) => a - b)) {
			if (bytes <= maxBytes) break;
			bytes -= bucketBytes(second, counts.get(second)!);
			counts.delete(second);
			from = second + 1;
		}
	}

	emit.sort((a, b) => a.at - b.at || a.order - b.order);
	return {
		emit: emit.map(({ event }) => event),
		state: { v: 1, from, seen: serialize(counts) },
	};
}
