import { sleep } from 'n8n-workflow';

/**
 * Spaces request starts at least 1/rate apart, and holds every start back while a pause (a rate
 * limit window Brevo reported) lasts. A start is claimed only when it happens, not reserved ahead:
 * after a stall (a busy event loop) requests do not burst to catch up.
 */
export class Pacer {
	private nextStart = 0;

	private readonly interval: number;

	constructor(requestsPerSecond: number) {
		this.interval = 1000 / Math.max(requestsPerSecond, 0.001);
	}

	/** Resolves when the next request may start, and claims that start. */
	async next(): Promise<void> {
		for (;;) {
			const now = Date.now();
			if (now >= this.nextStart) {
				this.nextStart = now + this.interval;
				return;
			}
			await sleep(this.nextStart - now);
		}
	}

	/** No request starts within the next `ms`. */
	pauseFor(ms: number): void {
		this.nextStart = Math.max(this.nextStart, Date.now() + ms);
	}
}
