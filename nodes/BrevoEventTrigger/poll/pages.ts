import type { IDataObject } from 'n8n-workflow';

import { isPlainObject } from '../../BrevoEvent/payload/values';

/** One answer of GET /events: Brevo's total for the query, and one page of events. */
export interface EventsPage {
	count?: number;
	events: IDataObject[];
}

export type FetchPage = (offset: number, limit: number) => Promise<EventsPage>;

export interface ReadLimits {
	/** Events per request (Brevo: 1–10,000). */
	pageSize: number;
	/** Events one poll reads at most; a window holding more is refused, not half-read. */
	maxEvents: number;
	/** Times the window is read again from its first page when events arrived in it meanwhile. */
	maxAttempts: number;
	/** Epoch ms after which no further page is requested (the engine's poll budget). */
	deadline?: number;
}

/** Why a window could not be read completely; the node reports it and keeps its position. */
export class WindowNotRead extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'WindowNotRead';
	}
}

/**
 * Every event of one fixed date window, in Brevo's order (newest first), paged by offset. Events
 * dated after the window cannot shift its pages; a back-dated one arriving inside it while it pages
 * can (an event already read would show up again on the next page), so the pages must all report
 * the same `count`; if it changed, the window is read again from its first page.
 */
export async function readWindow(fetchPage: FetchPage, limits: ReadLimits): Promise<IDataObject[]> {
	const { pageSize, maxEvents, maxAttempts, deadline } = limits;
	for (let attempt = 1; attempt <= maxAttempts; attempt++) {
		const events: IDataObject[] = [];
		let total: number | undefined;
		let previousPage: string | undefined;
		// Every page ends the read, adds events (more than maxEvents stops it), or finds the window
		// changed, which reads it again from its first page.
		for (let page = 0; ; page++) {
			if (deadline !== undefined && Date.now() > deadline) {
				throw new WindowNotRead(
					`The poll ran out of time after reading ${events.length} events`,
					"n8n's time for one poll is nearly over. Shorten Look-Back Window or narrow the filters so that a poll reads fewer events.",
				);
			}
			const answer = await fetchPage(events.length, pageSize);
			const count = typeof answer.count === 'number' ? answer.count : undefined;
			if (page === 0) {
				total = count;
				if (total !== undefined && total > maxEvents) {
					throw new WindowNotRead(
						`The window holds ${total} events, more than the ${maxEvents} one poll reads`,
						'Shorten Look-Back Window, poll more often, or narrow the filters.',
					);
				}
			} else if (count !== total) {
				break; // events arrived inside the window: read it again
			}
			// A server that ignores `offset` returns the same page forever: stop rather than loop.
			const text = JSON.stringify(answer.events);
			if (answer.events.length > 0 && text === previousPage) {
				throw new WindowNotRead(
					`GET /events returned the same ${answer.events.length} events for offset ${events.length} as for the page before`,
					'The server ignores "offset"; the trigger cannot page through it.',
				);
			}
			previousPage = text;
			const odd = answer.events.findIndex((event) => !isPlainObject(event));
			if (odd !== -1) {
				throw new WindowNotRead(
					`GET /events listed ${JSON.stringify(answer.events[odd]) ?? 'undefined'} among its events (at ${events.length + odd}), not an event`,
					"The server at the credential's Base URL did not answer like Brevo.",
				);
			}
			events.push(...answer.events);
			if (events.length > maxEvents) {
				throw new WindowNotRead(
					`GET /events kept returning pages beyond the ${maxEvents} events one poll reads`,
					'The server does not end its pages; the trigger stopped rather than read without end.',
				);
			}
			// A short page ends the window, unless its count says more exist: a server may list fewer
			// per page than asked for (found by a probe: 100 of 250 emitted, the rest never).
			const ended =
				answer.events.length === 0 ||
				(total !== undefined ? events.length >= total : answer.events.length < pageSize);
			if (ended) return events;
		}
	}
	throw new WindowNotRead(
		`Events kept arriving inside the window while it was read (${maxAttempts} attempts)`,
		'The next poll reads the window again; nothing was lost.',
	);
}
