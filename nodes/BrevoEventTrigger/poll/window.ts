import type { TriggerState } from './memory';

/** The event_date range one poll reads, in epoch seconds; Brevo's startDate and endDate. */
export interface PollWindow {
	start: number;
	end: number;
	/**
	 * From this second on, what was emitted stays remembered: no later poll reads events dated
	 * earlier, so older identities can be forgotten.
	 */
	keepFrom: number;
}

export type PollPlan =
	/** First poll: remember where to start, read nothing (no backlog flood). */
	| { kind: 'start'; state: TriggerState }
	/** "Include Events Since" lies ahead: nothing to read yet. */
	| { kind: 'wait' }
	| { kind: 'read'; window: PollWindow };

/**
 * What a poll at `nowMs` reads. The window is fixed when the poll starts (endDate = now), so that
 * events arriving while it pages sort before its first page, not between its pages. It reaches back
 * over the look-back (late and back-dated events), but never before what the trigger remembers
 * (`from`): earlier events were either emitted before or predate the trigger.
 */
export function planPoll(
	state: TriggerState | undefined,
	nowMs: number,
	lookbackSeconds: number,
	includeSinceMs?: number,
): PollPlan {
	const end = Math.floor(nowMs / 1000);
	const lookbackStart = end - lookbackSeconds;
	if (!state) {
		const since = includeSinceMs === undefined ? end : Math.floor(includeSinceMs / 1000);
		if (since >= end) return { kind: 'start', state: { v: 1, from: since, seen: {} } };
		return {
			kind: 'read',
			window: { start: since, end, keepFrom: Math.max(since, lookbackStart) },
		};
	}
	const start = Math.max(lookbackStart, state.from);
	if (start > end) return { kind: 'wait' };
	return { kind: 'read', window: { start, end, keepFrom: start } };
}
