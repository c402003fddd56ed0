/**
 * The order jest starts test files in. Jest's own order puts the files that took longest last
 * time first, but a fresh clone (CI) has no timings and falls back to file size, which started
 * the trigger files last: they mostly wait for n8n's poll times (about 100 s each), so the e2e
 * stage took 179 s instead of 147 s. Files that wait go first, beside the ones that keep the CPU
 * busy, then the longest of those; then jest's own order.
 */
'use strict';

const Sequencer = require('@jest/test-sequencer').default;

/** Most of their time is waiting for poll times, then the longest CPU-bound file (~100 s). */
const FIRST = [/[/\\]trigger[^/\\]*\.e2e\.test\.ts$/, /[/\\]fastPath\.e2e\.test\.ts$/];

class WaitingFirstSequencer extends Sequencer {
	async sort(tests) {
		const sorted = await super.sort(tests);
		const rank = (test) => {
			const index = FIRST.findIndex((pattern) => pattern.test(test.path));
			return index === -1 ? FIRST.length : index;
		};
		// Array.prototype.sort is stable: within a rank, jest's own order stays.
		return [...sorted].sort((a, b) => rank(a) - rank(b));
	}
}

module.exports = WaitingFirstSequencer;
