import { createHash } from 'crypto';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { BrevoEventPayload } from '../payload/event';

/** What Brevo confirmed for one item: stored (204) or queued (202/207). */
export interface Confirmation {
	status: 'stored' | 'queued';
	statusCode: number;
}

/**
 * One node run (execution + node + run index), over all its tries. Per item, compact: the
 * fingerprint of the input item and of the event Brevo confirmed, and Brevo's status code (0: not
 * confirmed): 10 bytes an item.
 */
interface RunMemory {
	inputs: Uint32Array;
	events: Uint32Array;
	statusCodes: Uint16Array;
	tries: number;
	/** Tries running right now (n8n runs one at a time; a count survives a try that never ends). */
	activeTries: number;
	/** When the last try ended (Date.now()), for runs no retry followed. */
	lastTryEndedAt: number;
}

/**
 * n8n's "Retry On Fail" runs the whole node again with the same input after an error. Brevo has no
 * idempotency key, so an event it already confirmed would be counted twice. This remembers, per
 * execution + node + run, which input items Brevo confirmed, so that the next try reports them
 * without sending them again.
 *
 * An item is known by its input — the JSON and binary entries n8n hands the node — never by the
 * event built from it: an expression such as {{ $now }} evaluates anew on each try, and what Brevo
 * confirmed must still not be sent again.
 *
 * Kept only while a retry can follow: not at all without Retry On Fail; dropped after the last try
 * or a try that ends the node run; and dropped when stale — no try running and the last one ended
 * longer ago than n8n waits between tries (5 s at most) plus a margin: an execution cancelled
 * between tries. Never dropped while a try runs, however long it lasts or however many executions
 * run at once. Bounded: at most MAX_ITEMS items (10 bytes each) over all live runs; a run that does
 * not fit is not remembered (said in n8n's log), and its retry may send again. The process is the
 * one running the execution: n8n retries in the same process (also in queue mode, where one worker
 * runs the whole execution).
 */
const runs = new Map<string, RunMemory>();

/** 2,000,000 items × 10 bytes: 20 MB over every node run a retry may still follow. */
const MAX_ITEMS = 2_000_000;
/** n8n's longest wait between tries (5 s), plus a margin for a busy process. */
const STALE_AFTER_MS = 5_000 + 25_000;

let remembered = 0;

function drop(key: string): void {
	const run = runs.get(key);
	if (!run) return;
	remembered -= run.inputs.length;
	runs.delete(key);
}

function dropStale(now: number): void {
	for (const [key, run] of runs) {
		if (run.activeTries === 0 && now - run.lastTryEndedAt > STALE_AFTER_MS) drop(key);
	}
}

function fingerprint(text: string): number {
	return createHash('sha1').update(text).digest().readUInt32BE(0);
}

/** The input item as n8n hands it: its JSON, and its binary entries without their data. */
function inputFingerprint(item: INodeExecutionData | undefined): number {
	let text: string;
	try {
		const binary = Object.entries(item?.binary ?? {})
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([key, { id, fileName, mimeType, fileSize }]) => [
				key,
				id,
				fileName,
				mimeType,
				fileSize,
			]);
		text = JSON.stringify([item?.json ?? {}, binary]);
	} catch {
		// JSON that cannot be written (a cycle): the same on every try, so still recognised.
		text = '';
	}
	return fingerprint(text);
}

const eventFingerprint = (event: BrevoEventPayload) => fingerprint(JSON.stringify(event));

/** n8n's own bounds for Retry On Fail (WorkflowExecute.getRetryParams): 2 to 5 tries, default 3. */
function maxTries(ctx: IExecuteFunctions): number {
	const node = ctx.getNode();
	return Math.min(5, Math.max(2, node.maxTries || 3));
}

export class DeliveryMemory {
	/** Fingerprints of this try's input items, computed once each. */
	private readonly inputs: Uint32Array;

	private readonly known: Uint8Array;

	private ended = false;

	private constructor(
		private readonly key: string,
		private readonly memory: RunMemory,
		private readonly items: INodeExecutionData[],
		private readonly lastTry: boolean,
	) {
		this.inputs = new Uint32Array(items.length);
		this.known = new Uint8Array(items.length);
	}

	/** The memory of this node run, or undefined when n8n will not retry it (Retry On Fail off). */
	static forRun(ctx: IExecuteFunctions): DeliveryMemory | undefined {
		const node = ctx.getNode();
		if (node.retryOnFail !== true) return undefined;
		const items = ctx.getInputData();
		const runIndex = ctx.getWorkflowDataProxy(0).$thisRunIndex;
		const key = `${ctx.getExecutionId()}\u0000${node.name}\u0000${runIndex}`;
		dropStale(Date.now());
		let memory = runs.get(key);
		if (memory && memory.inputs.length !== items.length) drop(key);
		memory = runs.get(key);
		if (!memory) {
			if (remembered + items.length > MAX_ITEMS) {
				ctx.logger?.warn(
					`Brevo Event: Retry On Fail cannot remember this run's ${items.length} items (at most ${MAX_ITEMS} at once): a retry may send again what Brevo confirmed`,
				);
				return undefined;
			}
			memory = {
				inputs: new Uint32Array(items.length),
				events: new Uint32Array(items.length),
				statusCodes: new Uint16Array(items.length),
				tries: 0,
				activeTries: 0,
				lastTryEndedAt: 0,
			};
			remembered += items.length;
			runs.set(key, memory);
		}
		memory.tries++;
		memory.activeTries++;
		return new DeliveryMemory(key, memory, items, memory.tries >= maxTries(ctx));
	}

	private input(itemIndex: number): number {
		if (!this.known[itemIndex]) {
			this.inputs[itemIndex] = inputFingerprint(this.items[itemIndex]);
			this.known[itemIndex] = 1;
		}
		return this.inputs[itemIndex];
	}

	/** Brevo's confirmation, in an earlier try, of this same input item, if any. */
	recall(itemIndex: number): Confirmation | undefined {
		const statusCode = this.memory.statusCodes[itemIndex];
		if (!statusCode || this.memory.inputs[itemIndex] !== this.input(itemIndex)) return undefined;
		return { status: statusCode === 204 ? 'stored' : 'queued', statusCode };
	}

	/** Whether `event` is the one Brevo confirmed for the item (the same values on this try). */
	confirmedEvent(itemIndex: number, event: BrevoEventPayload): boolean {
		return this.memory.events[itemIndex] === eventFingerprint(event);
	}

	remember(itemIndex: number, event: BrevoEventPayload, { statusCode }: Confirmation): void {
		if (itemIndex >= this.memory.statusCodes.length) return;
		this.memory.inputs[itemIndex] = this.input(itemIndex);
		this.memory.events[itemIndex] = eventFingerprint(event);
		this.memory.statusCodes[itemIndex] = statusCode;
	}

	/**
	 * Called once when the try ends. `mayBeRetried`: n8n retries a try that threw, or whose first
	 * output item is an error item (WorkflowExecute's checkFailure); otherwise the run is over.
	 */
	end(mayBeRetried: boolean): void {
		if (this.ended) return;
		this.ended = true;
		this.memory.activeTries--;
		this.memory.lastTryEndedAt = Date.now();
		if (this.lastTry || !mayBeRetried) drop(this.key);
	}

	/** For tests: how many node runs, and items, are remembered right now. */
	static get size(): { runs: number; items: number } {
		return { runs: runs.size, items: remembered };
	}
}
