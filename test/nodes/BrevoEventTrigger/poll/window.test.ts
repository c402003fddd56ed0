import type { TriggerState } from '../../../../nodes/BrevoEventTrigger/poll/memory';
import { planPoll } from '../../../../nodes/BrevoEventTrigger/poll/window';

const NOW = Date.parse('2026-12-03T12:00:30.750Z');
const NOW_S = Math.floor(NOW / 1000);
const HOUR = 3600;

describe('planPoll', () => {
	test('first poll: starts from now and reads nothing (no backlog)', () => {
		expect(planPoll(undefined, NOW, HOUR)).toEqual({
			kind: 'start',
			state: { v: 1, from: NOW_S, seen: {} },
		});
	});

	test('first poll with Include Events Since: reads from then, remembers only the look-back', () => {
		const since = NOW - 3 * HOUR * 1000;
		expect(planPoll(undefined, NOW, HOUR, since)).toEqual({
			kind: 'read',
			window: { start: NOW_S - 3 * HOUR, end: NOW_S, keepFrom: NOW_S - HOUR },
		});
		// A start inside the look-back is remembered from itself.
		const recent = NOW - 600_000;
		expect(planPoll(undefined, NOW, HOUR, recent)).toMatchObject({
			window: { start: NOW_S - 600, keepFrom: NOW_S - 600 },
		});
	});

	test('Include Events Since in the future: starts there, waits until then', () => {
		const future = NOW + 120_000;
		const plan = planPoll(undefined, NOW, HOUR, future);
		expect(plan).toEqual({ kind: 'start', state: { v: 1, from: NOW_S + 120, seen: {} } });
		const state = (plan as { state: TriggerState }).state;
		expect(planPoll(state, NOW + 60_000, HOUR)).toEqual({ kind: 'wait' });
		expect(planPoll(state, NOW + 180_000, HOUR)).toMatchObject({
			window: { start: NOW_S + 120, end: NOW_S + 180 },
		});
	});

	test('later polls: the look-back, but never before what is remembered', () => {
		const young = { v: 1 as const, from: NOW_S - 300, seen: {} };
		expect(planPoll(young, NOW, HOUR)).toEqual({
			kind: 'read',
			window: { start: NOW_S - 300, end: NOW_S, keepFrom: NOW_S - 300 },
		});
		const old = { v: 1 as const, from: NOW_S - 5 * HOUR, seen: {} };
		expect(planPoll(old, NOW, HOUR)).toEqual({
			kind: 'read',
			window: { start: NOW_S - HOUR, end: NOW_S, keepFrom: NOW_S - HOUR },
		});
	});

	test('Include Events Since is ignored once the trigger has a state', () => {
		const state = { v: 1 as const, from: NOW_S - 60, seen: {} };
		expect(planPoll(state, NOW, HOUR, NOW - 10 * HOUR * 1000)).toMatchObject({
			window: { start: NOW_S - 60 },
		});
	});
});
