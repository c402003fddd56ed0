import type { Clock } from '../../nodes/BrevoEvent/transport/pacer';

/**
 * A virtual clock for pacing logic: `sleep` resolves when `run()` advances time to it. Time jumps
 * from one timer to the next, so minutes of pacing take milliseconds, and runs are repeatable.
 */
export class FakeClock implements Clock {
	private time = 0;

	private sequence = 0;

	private readonly timers: Array<{ at: number; sequence: number; resolve: () => void }> = [];

	now(): number {
		return this.time;
	}

	async sleep(ms: number): Promise<void> {
		return await new Promise((resolve) =>
			this.timers.push({ at: this.time + Math.max(ms, 0), sequence: this.sequence++, resolve }),
		);
	}

	/** Fires timers in time order until none is left (or `until`); lets promise chains settle between. */
	async run(until = Infinity): Promise<void> {
		for (;;) {
			await new Promise((resolve) => setImmediate(resolve));
			if (this.timers.length === 0) return;
			let next = 0;
			for (let i = 1; i < this.timers.length; i++) {
				const a = this.timers[i];
				const b = this.timers[next];
				if (a.at < b.at || (a.at === b.at && a.sequence < b.sequence)) next = i;
			}
			if (this.timers[next].at > until) {
				this.time = until;
				return;
			}
			const [timer] = this.timers.splice(next, 1);
			this.time = timer.at;
			timer.resolve();
		}
	}
}

/** A small deterministic random generator (LCG), so simulated runs repeat exactly. */
export function seededRandom(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 4294967296;
	};
}
