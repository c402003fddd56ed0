import { createHash } from 'crypto';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { BrevoEventPayload } from '../payload/event';

/** What Brevo confirmed for one item: stored (204) or queued (202/207). */
export interface Confirmation {
	status: 'stored' | 'queued';
	statusCode: number;
}

interface Remembered extends Confirmation {
	/** Fingerprint of the exact event sent: a retry with other data for this item sends again. */
	fingerprint: string;
}

interface RunMemory {
	tries: number;
	confirmed: Map<number, Remembered>;
	createdAt: number;
}

/**
 * n8n's "Retry On Fail" runs the whole node again with the same input after an error. Brevo has no
 * idempotency key, so an event it already confirmed would be counted twice. This remembers, per
 * execution + node + run, which items Brevo confirmed, so that the next try reports them without
 * sending them again.
 *
 * Kept only while n8n may still retry: not at all without Retry On Fail, dropped after the last
 * try or a try that ends the node run, and bounded (runs, age) for executions that end otherwise
 * (cancelled while waiting between tries). The process is the one running the execution: n8n
 * retries in the same process (also in queue mode, where one worker runs the whole execution).
 */
const runs = new Map<string, RunMemory>();
const MAX_RUNS = 20;
const MAX_AGE_MS = 60 * 60 * 1000;

function fingerprint(event: BrevoEventPayload): string {
	return createHash('sha1').update(JSON.stringify(event)).digest('base64');
}

/** n8n's own bounds for Retry On Fail (WorkflowExecute.getRetryParams): 2 to 5 tries, default 3. */
function maxTries(ctx: IExecuteFunctions): number {
	const node = ctx.getNode();
	return Math.min(5, Math.max(2, node.maxTries || 3));
}

export class DeliveryMemory {
	private constructor(
		private readonly key: string,
		private readonly memory: RunMemory,
		private readonly lastTry: boolean,
	) {}

	/** The memory of this node run, or undefined when n8n will not retry it (Retry On Fail off). */
	static forRun(ctx: IExecuteFunctions): DeliveryMemory | undefined {
		const node = ctx.getNode();
		if (node.retryOnFail !== true) return undefined;
		const runIndex = ctx.getWorkflowDataProxy(0).$thisRunIndex;
		const key = `${ctx.getExecutionId()}\u0000${node.name}\u0000${runIndex}`;
		const now = Date.now();
		for (const [k, run] of runs) if (now - run.createdAt > MAX_AGE_MS) runs.delete(k);
		let memory = runs.get(key);
		if (!memory) {
			memory = { tries: 0, confirmed: new Map(), createdAt: now };
			runs.set(key, memory);
			// Oldest first: Map keeps insertion order.
			while (runs.size > MAX_RUNS) runs.delete(runs.keys().next().value as string);
		}
		memory.tries++;
		return new DeliveryMemory(key, memory, memory.tries >= maxTries(ctx));
	}

	/** Brevo's earlier confirmation of exactly this event for this item, if any. */
	recall(itemIndex: number, event: BrevoEventPayload): Confirmation | undefined {
		const remembered = this.memory.confirmed.get(itemIndex);
		if (!remembered || remembered.fingerprint !== fingerprint(event)) return undefined;
		return { status: remembered.status, statusCode: remembered.statusCode };
	}

	remember(itemIndex: number, event: BrevoEventPayload, confirmation: Confirmation): void {
		this.memory.confirmed.set(itemIndex, { ...confirmation, fingerprint: fingerprint(event) });
	}

	/**
	 * Called when the try ends. `mayBeRetried`: n8n retries a try that threw, or whose first output
	 * item is an error item (WorkflowExecute's checkFailure); otherwise the run is over.
	 */
	end(mayBeRetried: boolean): void {
		if (this.lastTry || !mayBeRetried) runs.delete(this.key);
	}

	/** For tests: how many node runs are remembered right now. */
	static get size(): number {
		return runs.size;
	}
}
