import type { IDataObject } from 'n8n-workflow';

import {
	readState,
	reconcile,
	writeState,
	type TriggerState,
} from '../../../../nodes/BrevoEventTrigger/poll/memory';
import { planPoll, type PollWindow } from '../../../../nodes/BrevoEventTrigger/poll/window';

const T0 = Math.floor(Date.parse('2026-12-03T12:00:00Z') / 1000);
const iso = (second: number, ms = 0) =>
	new Date(second * 1000 + ms).toISOString().replace('Z', '+00:00');
const ev = (name: string, second: number, extra: IDataObject = {}): IDataObject => ({
	contact_id: 1,
	event_date: iso(second),
	event_name: name,
	event_properties: extra,
});
/** Brevo's order: newest event_date first. */
const newestFirst = (list: IDataObject[]) =>
	[...list].sort((a, b) => Date.parse(b.event_date as string) - Date.parse(a.event_date as string));
const names = (list: IDataObject[]) => list.map((e) => e.event_name);
const window = (start: number, end: number, keepFrom = start): PollWindow => ({
	start,
	end,
	keepFrom,
});

describe('reconcile', () => {
	test('emits what was not emitted before, oldest first; a second read emits nothing', () => {
		const read = newestFirst([ev('a', T0 + 1), ev('c', T0 + 3), ev('b', T0 + 2)]);
		const first = reconcile({ v: 1, from: T0, seen: {} }, window(T0, T0 + 60), read, 1000);
		expect(names(first.emit)).toEqual(['a', 'b', 'c']);
		const again = reconcile(first.state, window(T0, T0 + 120), read, 1000);
		expect(again.emit).toEqual([]);
		expect(again.state).toEqual(first.state);
	});

	test('identical events recorded separately are emitted once each, and counted', () => {
		const twin = ev('twin', T0 + 5, { order: 1 });
		const first = reconcile(
			{ v: 1, from: T0, seen: {} },
			window(T0, T0 + 60),
			[twin, { ...twin }],
			1000,
		);
		expect(first.emit).toHaveLength(2);
		// A third identical copy arrives: exactly one more.
		const second = reconcile(first.state, window(T0, T0 + 120), [twin, twin, twin], 1000);
		expect(second.emit).toEqual([twin]);
		// A read that shows fewer copies (it happens at a window's edge) does not lower the count.
		const fewer = reconcile(second.state, window(T0, T0 + 180), [twin], 1000);
		expect(fewer.emit).toEqual([]);
		const all = reconcile(fewer.state, window(T0, T0 + 240), [twin, twin, twin], 1000);
		expect(all.emit).toEqual([]);
	});

	test('a late (back-dated) event inside the remembered window is emitted, in date order', () => {
		const first = reconcile(
			{ v: 1, from: T0, seen: {} },
			window(T0, T0 + 60),
			newestFirst([ev('a', T0 + 10), ev('b', T0 + 50)]),
			1000,
		);
		const read = newestFirst([
			ev('a', T0 + 10),
			ev('late', T0 + 20),
			ev('b', T0 + 50),
			ev('new', T0 + 90),
		]);
		const second = reconcile(first.state, window(T0, T0 + 120), read, 1000);
		expect(names(second.emit)).toEqual(['late', 'new']);
	});

	test('equal dates: the event Brevo lists last (older) comes first', () => {
		const read = [ev('listed-first', T0 + 1), ev('listed-second', T0 + 1)];
		const { emit } = reconcile({ v: 1, from: T0, seen: {} }, window(T0, T0 + 60), read, 1000);
		expect(names(emit)).toEqual(['listed-second', 'listed-first']);
	});

	test('forgets what is dated before keepFrom; never emits what is dated before `from`', () => {
		const first = reconcile(
			{ v: 1, from: T0, seen: {} },
			window(T0, T0 + 60),
			newestFirst([ev('old', T0 + 1), ev('young', T0 + 59)]),
			1000,
		);
		const moved = reconcile(first.state, window(T0 + 30, T0 + 120), [ev('young', T0 + 59)], 1000);
		expect(moved.state.from).toBe(T0 + 30);
		expect(Object.keys(moved.state.seen).map((k) => parseInt(k, 36))).toEqual([T0 + 59]);
		// A server that returns an event from before the window (already emitted, forgotten since)
		// does not make the trigger emit it again.
		const sloppy = reconcile(moved.state, window(T0 + 60, T0 + 180), [ev('old', T0 + 1)], 1000);
		expect(sloppy.emit).toEqual([]);
	});

	test('more than maxBytes: the oldest whole seconds are forgotten and `from` moves past them', () => {
		const read = newestFirst([
			ev('a', T0 + 1),
			ev('b', T0 + 2),
			ev('c', T0 + 2, { x: 1 }),
			ev('d', T0 + 3),
			ev('e', T0 + 4),
		]);
		// Room for two one-event seconds: 40 bytes of frame + 2 × (6-character key + 6 + 8).
		const maxBytes = 40 + 2 * 20;
		const { emit, state } = reconcile(
			{ v: 1, from: T0, seen: {} },
			window(T0, T0 + 60),
			read,
			maxBytes,
		);
		expect(Buffer.byteLength(JSON.stringify(state))).toBeLessThanOrEqual(maxBytes);
		expect(emit).toHaveLength(5);
		// Second T0+2 holds two events: both go, so no half-remembered second is read again.
		expect(state.from).toBe(T0 + 3);
		expect(Object.keys(state.seen).map((k) => parseInt(k, 36))).toEqual([T0 + 3, T0 + 4]);
		// The next poll starts at `from`: nothing it reads is emitted twice.
		const plan = planPoll(state, (T0 + 120) * 1000, 3600);
		expect(plan).toMatchObject({ window: { start: T0 + 3 } });
		const next = reconcile(
			state,
			(plan as { window: PollWindow }).window,
			read.slice(0, 2),
			maxBytes,
		);
		expect(next.emit).toEqual([]);
	});

	test('static data: readState accepts only its own format; writeState updates in place', () => {
		expect(readState({})).toBeUndefined();
		expect(readState({ v: 2, from: 1, seen: {} })).toBeUndefined();
		const data: IDataObject = { other: 'kept' };
		const state: TriggerState = { v: 1, from: T0, seen: { abc: 'AAAAAAAA' } };
		writeState(data, state);
		expect(data).toEqual({ other: 'kept', ...state });
		expect(readState(data)).toEqual(state);
	});

	test('size: about 9 bytes per remembered event at 1,000 events per minute', () => {
		const perMinute = 1000;
		const read: IDataObject[] = [];
		for (let i = 0; i < 10 * perMinute; i++)
			read.push(ev('order_created', T0 + Math.floor((i * 60) / perMinute), { seq: i }));
		const { state } = reconcile(
			{ v: 1, from: T0, seen: {} },
			window(T0, T0 + 600),
			newestFirst(read),
			256_000,
		);
		const bytes = Buffer.byteLength(JSON.stringify(state));
		console.log(
			`static data for ${read.length} events: ${bytes} bytes (${(bytes / read.length).toFixed(2)} per event)`,
		);
		expect(bytes / read.length).toBeLessThan(9);
		expect(bytes / read.length).toBeGreaterThan(8);
	});

	test('bounded in bytes whatever the rate: 100,000 events keep at most maxBytes, the newest', () => {
		const read: IDataObject[] = [];
		for (let i = 0; i < 100_000; i++) read.push(ev('page_viewed', T0 + Math.floor(i / 50), { i }));
		const { emit, state } = reconcile(
			{ v: 1, from: T0, seen: {} },
			window(T0, T0 + 2000),
			newestFirst(read),
			256_000,
		);
		expect(emit).toHaveLength(100_000);
		expect(Buffer.byteLength(JSON.stringify(state))).toBeLessThanOrEqual(256_000);
		const seconds = Object.keys(state.seen).map((k) => parseInt(k, 36));
		expect(Math.max(...seconds)).toBe(T0 + 1999);
		expect(state.from).toBe(Math.min(...seconds));
	});
});
