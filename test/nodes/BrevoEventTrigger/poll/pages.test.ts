import type { IDataObject } from 'n8n-workflow';

import {
	readWindow,
	WindowNotRead,
	type EventsPage,
} from '../../../../nodes/BrevoEventTrigger/poll/pages';

const limits = { pageSize: 3, maxEvents: 20, maxAttempts: 3 };

/** A fake GET /events over `list` (newest first) that can change between calls. */
function server(list: IDataObject[], beforeCall?: (call: number, list: IDataObject[]) => void) {
	const calls: Array<{ offset: number; limit: number }> = [];
	const fetchPage = async (offset: number, limit: number): Promise<EventsPage> => {
		beforeCall?.(calls.length, list);
		calls.push({ offset, limit });
		return { count: list.length, events: list.slice(offset, offset + limit) };
	};
	return { fetchPage, calls };
}

const events = (n: number, prefix = 'e') =>
	Array.from({ length: n }, (_, i) => ({ event_name: `${prefix}${i}` }));

describe('readWindow', () => {
	test('pages by offset until a short page', async () => {
		const { fetchPage, calls } = server(events(7));
		expect(await readWindow(fetchPage, limits)).toEqual(events(7));
		expect(calls).toEqual([
			{ offset: 0, limit: 3 },
			{ offset: 3, limit: 3 },
			{ offset: 6, limit: 3 },
		]);
	});

	test('stops when count is reached, without asking for an empty page', async () => {
		const { fetchPage, calls } = server(events(6));
		expect(await readWindow(fetchPage, limits)).toHaveLength(6);
		expect(calls).toHaveLength(2);
	});

	test('an event arriving inside the window between pages: the window is read again, no event twice', async () => {
		// After the first page, a back-dated event sorts before it: without the re-read, e2 would
		// come back on page 2 and be counted twice.
		const { fetchPage, calls } = server(events(7), (call, list) => {
			if (call === 1) list.unshift({ event_name: 'late' });
		});
		const read = await readWindow(fetchPage, limits);
		expect(read.map((e) => e.event_name)).toEqual(['late', ...events(7).map((e) => e.event_name)]);
		expect(calls.map((c) => c.offset)).toEqual([0, 3, 0, 3, 6]);
	});

	test('arrivals that never stop: gives up after maxAttempts, with an error', async () => {
		const { fetchPage } = server(events(7), (call, list) => {
			if (call % 2 === 1) list.unshift({ event_name: `late${call}` });
		});
		await expect(readWindow(fetchPage, limits)).rejects.toThrow(
			/kept arriving inside the window .*3 attempts/,
		);
	});

	test('a window larger than maxEvents is refused before reading it', async () => {
		const { fetchPage, calls } = server(events(21));
		await expect(readWindow(fetchPage, limits)).rejects.toThrow(WindowNotRead);
		expect(calls).toHaveLength(1);
	});

	test('a server that ignores offset is detected', async () => {
		const list = events(9);
		const fetchPage = async (_offset: number, limit: number) => ({
			count: 9,
			events: list.slice(0, limit),
		});
		await expect(readWindow(fetchPage, limits)).rejects.toThrow(/same 3 events/);
	});

	test('a server without count that never ends its pages is stopped (bounded pages)', async () => {
		let n = 0;
		const fetchPage = async (_offset: number, limit: number) => ({
			events: Array.from({ length: limit }, () => ({ n: n++ })),
		});
		await expect(readWindow(fetchPage, limits)).rejects.toThrow(
			/kept returning pages beyond the 20 events one poll reads/,
		);
		// Stopped at the first page past maxEvents (20): 7 pages of 3.
		expect(n).toBe(21);
	});

	// Found by a hostile-server probe: a server listing at most 100 per page, whatever the limit,
	// had the trigger emit the first 100 events of 250 and never the rest.
	test('a server that lists fewer per page than asked: pages on to its count', async () => {
		const list = events(10);
		const calls: number[] = [];
		const fetchPage = async (offset: number) => {
			calls.push(offset);
			return { count: list.length, events: list.slice(offset, offset + 2) };
		};
		expect(await readWindow(fetchPage, limits)).toEqual(list);
		expect(calls).toEqual([0, 2, 4, 6, 8]);
	});

	test('a short page that ends before its count (events gone meanwhile): the read ends there', async () => {
		const list = events(4);
		const fetchPage = async (offset: number) => ({
			count: 6,
			events: list.slice(offset, offset + 3),
		});
		expect(await readWindow(fetchPage, limits)).toEqual(list);
	});

	// Found by the same probe: a null crashed every poll with a TypeError, naming nothing.
	test.each([[null], [7], ['x'], [[1, 2]]])(
		'an entry that is not an event (%j): the window is not read, saying so',
		async (odd) => {
			const fetchPage = async () => ({
				count: 2,
				events: [{ event_name: 'a' }, odd] as IDataObject[],
			});
			const read = readWindow(fetchPage, limits);
			await expect(read).rejects.toBeInstanceOf(WindowNotRead);
			await expect(read).rejects.toThrow(
				`GET /events listed ${JSON.stringify(odd)} among its events (at 1), not an event`,
			);
		},
	);

	test('the deadline stops paging', async () => {
		const { fetchPage } = server(events(7));
		await expect(readWindow(fetchPage, { ...limits, deadline: Date.now() - 1 })).rejects.toThrow(
			/ran out of time/,
		);
	});
});
