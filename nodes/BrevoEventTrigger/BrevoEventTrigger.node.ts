import { DateTime } from 'luxon';
import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import {
	AUTHENTICATION_PROPERTY,
	BREVO_CREDENTIALS,
	CONTACT_IDS_FILTER,
	EVENT_NAMES_FILTER,
	OBJECT_TYPES_FILTER,
} from '../BrevoEvent/actions/common.descriptions';
import { FieldError } from '../BrevoEvent/payload/FieldError';
import { readFilters } from '../BrevoEvent/parameters/getAll.parameters';
import { buildEventQuery } from '../BrevoEvent/payload/query';
import { BrevoTransport } from '../BrevoEvent/transport/BrevoTransport';
import { readState, reconcile, writeState } from './poll/memory';
import { readWindow, WindowNotRead, type EventsPage } from './poll/pages';
import { planPoll } from './poll/window';

/** Brevo's largest page: the fewest requests per poll (GET /events may share a 100/h bucket). */
const PAGE_SIZE = 10_000;
/** A window holding more is refused rather than half-read (README: what a poll costs). */
const MAX_EVENTS_PER_POLL = 100_000;
/** Static data at most, in JSON bytes (about 9 per remembered event at 1,000 events a minute). */
const MAX_STATE_BYTES = 256 * 1000;
const MAX_READ_ATTEMPTS = 3;
/** A per-second 429 is waited out; an hourly quota ends the poll at once. */
const MAX_RATE_LIMIT_WAIT_MS = 10_000;
/** Stop asking for pages this long before n8n's poll budget ends. */
const BUDGET_MARGIN = 0.8;

/** The trigger's parameter names, declared and read below; Filters' own are Get Many's (FILTER). */
const PARAMETER = {
	filters: 'filters',
	options: 'options',
	includeEventsSince: 'includeEventsSince',
	lookBackMinutes: 'lookBackMinutes',
} as const;

export class BrevoEventTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Brevo Event Trigger',
		name: 'brevoEventTrigger',
		icon: { light: 'file:brevo.svg', dark: 'file:brevo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{"Every new event" + ($parameter["filters"]["eventNames"] ? ": " + $parameter["filters"]["eventNames"] : "")}}',
		description:
			'Starts the workflow when Brevo records a custom event (e.g. cart_abandoned), by polling its Events API',
		defaults: { name: 'Brevo Event Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: BREVO_CREDENTIALS,
		properties: [
			AUTHENTICATION_PROPERTY,
			{
				displayName:
					'Each poll emits the matching events Brevo recorded since the last one, one item per event, oldest first. Every poll reads the whole look-back window: one request per 10,000 events in it.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Filters',
				name: PARAMETER.filters,
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [CONTACT_IDS_FILTER, EVENT_NAMES_FILTER, OBJECT_TYPES_FILTER],
			},
			{
				displayName: 'Options',
				name: PARAMETER.options,
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Events Since',
						name: PARAMETER.includeEventsSince,
						type: 'dateTime',
						default: '',
						description:
							'On the first poll after activation, also emit the events dated from this time on. Without it the trigger starts from the time it is activated.',
					},
					{
						displayName: 'Look-Back Window (Minutes)',
						name: PARAMETER.lookBackMinutes,
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 60,
						description:
							'How late an event may arrive and still be emitted: events whose event_date is up to this far in the past when Brevo lists them (back-dated by the sender, or listed late) are caught. Longer costs more requests per poll.',
					},
				],
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		try {
			return await pollOnce(this);
		} catch (error) {
			throw pollError(this, error);
		}
	}
}

/** One poll: the newest event in manual mode, else the window's events not emitted before. */
async function pollOnce(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const filters = ctx.getNodeParameter(PARAMETER.filters, {}) as IDataObject;
	const options = ctx.getNodeParameter(PARAMETER.options, {}) as IDataObject;
	const lookBackMinutes = Number(options[PARAMETER.lookBackMinutes] ?? 60);
	if (!Number.isFinite(lookBackMinutes) || lookBackMinutes < 1) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Look-Back Window must be at least 1 minute, not ${String(options[PARAMETER.lookBackMinutes])}`,
		);
	}
	const transport = await BrevoTransport.create(ctx, {
		maxRateLimitWaitMs: MAX_RATE_LIMIT_WAIT_MS,
	});
	const listEvents = async (qs: IDataObject): Promise<EventsPage> => {
		const response = await transport.request({
			method: 'GET',
			path: '/events',
			qs,
			expect: [200],
		});
		const body = response.body as { count?: unknown; events?: unknown };
		const events = body.events ?? [];
		if (!Array.isArray(events)) {
			throw new NodeOperationError(
				ctx.getNode(),
				`The answer to GET /events has no list of events ("events" is ${typeof events})`,
			);
		}
		return {
			count: typeof body.count === 'number' ? body.count : undefined,
			events: events as IDataObject[],
		};
	};

	if (ctx.getMode() === 'manual') {
		// Fetch Test Event: the newest match, read-only (the active workflow's position stays).
		const { events } = await listEvents({ ...eventFilters(filters), limit: 1, offset: 0 });
		if (events.length === 0) {
			throw new NodeOperationError(
				ctx.getNode(),
				'No event matches the filters in the last 6 months of Brevo events',
				{
					description:
						'Record one (for example with the Brevo Event node), or loosen the filters, then fetch again.',
				},
			);
		}
		return [ctx.helpers.returnJsonArray(events)];
	}

	const staticData = ctx.getWorkflowStaticData('node');
	const previous = readState(staticData);
	const plan = planPoll(
		previous,
		Date.now(),
		Math.round(lookBackMinutes * 60),
		previous ? undefined : includeSince(ctx, options[PARAMETER.includeEventsSince]),
	);
	if (plan.kind === 'wait') return null;
	if (plan.kind === 'start') {
		writeState(staticData, plan.state);
		return null;
	}
	const { window } = plan;
	const qs = eventFilters(filters, window);
	const budgetMs = typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : 0;
	const events = await readWindow(
		async (offset, limit) => await listEvents({ ...qs, limit, offset }),
		{
			pageSize: PAGE_SIZE,
			maxEvents: MAX_EVENTS_PER_POLL,
			maxAttempts: MAX_READ_ATTEMPTS,
			deadline: budgetMs > 0 ? Date.now() + budgetMs * BUDGET_MARGIN : undefined,
		},
	);
	// Only now, with the whole window read, does the remembered position move.
	const { emit, state } = reconcile(previous, window, events, MAX_STATE_BYTES);
	writeState(staticData, state);
	return emit.length > 0 ? [ctx.helpers.returnJsonArray(emit)] : null;
}

/** The node's filters (and the poll's window) as GET /events parameters. */
function eventFilters(filters: IDataObject, window?: { start: number; end: number }): IDataObject {
	const dates = window
		? { startDate: window.start * 1000, endDate: window.end * 1000 }
		: { startDate: '', endDate: '' };
	return buildEventQuery(
		{
			returnAll: true,
			limit: 1,
			filters: { ...readFilters(filters), ...dates },
		},
		'UTC',
	).qs;
}

/** "Include Events Since" in epoch ms, read in the workflow's time zone; undefined when empty. */
function includeSince(ctx: IPollFunctions, value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const date = DateTime.isDateTime(value)
		? value
		: DateTime.fromISO(String(value), { zone: ctx.getTimezone() });
	if (!date.isValid) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Include Events Since "${String(value)}" is not a date`,
		);
	}
	return date.toMillis();
}

/**
 * Every failure of a poll as n8n shows it. A rate limit (a 429 the transport could not wait out, or
 * a used-up quota) and a window that could not be read completely say that the position is kept:
 * the state is written only after a complete read, so the next poll starts where this one did.
 */
function pollError(ctx: IPollFunctions, error: unknown): NodeApiError | NodeOperationError {
	const kept =
		"Nothing was emitted and the trigger's position is unchanged: the next poll reads the same events again.";
	if (error instanceof NodeApiError && error.httpCode === '429') {
		return new NodeApiError(ctx.getNode(), { message: error.message } as JsonObject, {
			message: `Brevo's rate limit for GET /events stopped this poll: ${error.message}`,
			description: `${kept} A poll costs one request per 10,000 events in the look-back window; poll less often if this repeats.`,
			httpCode: '429',
		});
	}
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof WindowNotRead) {
		return new NodeOperationError(ctx.getNode(), `${error.message}: this poll emitted nothing`, {
			description: `${error.hint} ${kept}`,
		});
	}
	if (error instanceof FieldError) {
		return new NodeOperationError(ctx.getNode(), `Invalid ${error.field}: ${error.message}`, {
			description: error.hint,
		});
	}
	return new NodeOperationError(ctx.getNode(), error as Error);
}
