import type { INodeProperties } from 'n8n-workflow';

/** Options of Create that tune how events are sent; none of them changes what is sent. */
export const eventCreateOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	description: 'How events are sent to Brevo; none of these changes what is sent',
	displayOptions: { show: { resource: ['event'], operation: ['create'] } },
	options: [
		{
			displayName: 'Max Rate-Limit Wait (Seconds)',
			name: 'maxRateLimitWait',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 120,
			description:
				"How long one event may wait in total for Brevo's rate limit (429) to clear before it is reported as failed. Nothing is stored on a 429, so waiting never duplicates.",
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0.1, maxValue: 100, numberPrecision: 1 },
			default: 10,
			description:
				'Upper bound on requests started per second. Brevo allows 10/s on every plan and 20/s on Professional and Enterprise.',
		},
		{
			displayName: 'Send Mode',
			name: 'sendMode',
			type: 'options',
			options: [
				{
					name: 'One Request per Event',
					value: 'single',
					description: 'POST /events for each item. Brevo answers 204 once the event is stored.',
				},
				{
					name: 'Batches of up to 200 Events',
					value: 'batch',
					description:
						'POST /events/batch, up to 200 events and 512 KB per request: about 20× faster in bulk. Brevo answers 202 once the events are queued, and processes them later.',
				},
			],
			default: 'single',
			description:
				'How events travel to Brevo. Batches are for bulk sends; single requests confirm that each event was stored.',
		},
		{
			displayName: 'Retry on Server Errors',
			name: 'retryServerErrors',
			type: 'boolean',
			default: true,
			description:
				'Whether to retry after a 5xx answer or a dropped connection (up to 3 times, 1 s, 2 s, 4 s apart). Brevo may have stored the first try, so a retry can duplicate an event.',
		},
	],
};
